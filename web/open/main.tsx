/**
 * Entry of the public scorecards (web/public.html): a separate bundle from the signed-in dashboard, so
 * neither carries the other's code. Vazirmatn and the public stylesheet only.
 */
import '@fontsource/vazirmatn/400.css';
import '@fontsource/vazirmatn/700.css';
import './public.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PublicApp } from './App.tsx';
import { PublicApiError } from './queries.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      refetchOnWindowFocus: false,
      // a 4xx (not published, unknown office, too many requests) will not fix itself by retrying at once
      retry: (count, error) =>
        count < 1 && !(error instanceof PublicApiError && error.status >= 400 && error.status < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <PublicApp />
    </QueryClientProvider>
  </StrictMode>,
);
