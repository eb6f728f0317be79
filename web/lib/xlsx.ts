/** The Excel variant of an API table URL, and handing a downloaded file to the user. */

/** `/api/outliers?district=3` → `/api/outliers?district=3&format=xlsx` */
export function xlsxUrl(url: string): string {
  const [path, qs = ''] = url.split('?');
  const params = new URLSearchParams(qs);
  params.set('format', 'xlsx');
  return `${path}?${params}`;
}

/** Browser-only: hands a file to the user as a download. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
