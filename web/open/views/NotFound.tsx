import { NotFoundState } from '../components.tsx';

export default function NotFound() {
  return <NotFoundState />;
}
