/**
 * "Excel": the same rows as the table beside it, as a workbook the API builds (`?format=xlsx` on the
 * endpoint the table came from, api/export/xlsx.ts), which records the download in the audit log.
 */
import { useState } from 'react';
import { fetchFile } from '../api/client.ts';
import { useT } from '../i18n/useT.ts';
import { saveBlob, xlsxUrl } from '../lib/xlsx.ts';

export function XlsxButton({
  id,
  label,
  url,
  disabled,
}: {
  id: string;
  label: string;
  url: string;
  disabled?: boolean;
}) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const { blob, fileName } = await fetchFile(xlsxUrl(url));
      saveBlob(fileName ?? `shafaf-${id}.xlsx`, blob);
    } catch (err) {
      console.warn('The Excel download failed:', err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn btn-small no-print"
      data-testid={`xlsx-${id}`}
      aria-label={t.actions.xlsxLabel(label)}
      disabled={disabled || busy}
      onClick={download}
    >
      {t.actions.xlsx}
    </button>
  );
}
