/**
 * "Export to Excel" for a list page: asks for the purpose (every export is audited), posts the page's
 * current filters to its export endpoint and saves the .xlsx the server answers with.
 * Shown only to holders of `data.export` who may also view the page; the server enforces both itself.
 */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, quiet } from '../api/client';
import { ApiError, toErrorBody } from '../api/errors';
import type { ExportBody, ExportPath } from '../api/types';
import { useCan } from '../features/auth/api/me';
import { LANGUAGES, type Language } from '../i18n';
import { filenameFromDisposition, saveBlob } from '../lib/download';
import { notifySuccess } from '../lib/notify';

export const EXPORT_PERMISSION = 'data.export';
export const PURPOSE_MIN = 2;
export const PURPOSE_MAX = 200;

/** What a page passes: its filters, i.e. the export body without the purpose and language. */
export type ExportFilters<P extends ExportPath> = Omit<ExportBody<P>, 'purpose' | 'lang'>;

export interface ExportFile {
  blob: Blob;
  filename: string;
}

function currentLanguage(lang: string | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : 'zh-CN';
}

/** One export call, path and body matched (so each branch below is checked against the generated schema). */
type ExportRequest = { [P in ExportPath]: { path: P; body: ExportBody<P> } }[ExportPath];

function postExport(req: ExportRequest) {
  // The error is shown by the modal (`quiet`: no toast); a success is the .xlsx, read as a Blob.
  const init = { parseAs: 'blob' as const, middleware: [quiet] };
  switch (req.path) {
    case '/api/users/export':
      return api.POST(req.path, { ...init, body: req.body });
    case '/api/audit/export':
      return api.POST(req.path, { ...init, body: req.body });
    case '/api/customers/export':
      return api.POST(req.path, { ...init, body: req.body });
    case '/api/query/personal-accounts/export':
      return api.POST(req.path, { ...init, body: req.body });
    case '/api/query/passbooks/export':
      return api.POST(req.path, { ...init, body: req.body });
    case '/api/query/corporate/export':
      return api.POST(req.path, { ...init, body: req.body });
    case '/api/query/top-corporate/export':
      return api.POST(req.path, { ...init, body: req.body });
  }
}

/** Posts one export; a failure (JSON `{code, message, details}`) becomes an ApiError. */
export async function requestExport<P extends ExportPath>(path: P, body: ExportBody<P>, fallbackName: string): Promise<ExportFile> {
  const { data, error, response } = await postExport({ path, body } as ExportRequest);
  if (!response.ok || !data) {
    throw new ApiError(response.status, toErrorBody(response.status, error));
  }
  return { blob: data, filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName };
}

export interface ExportButtonProps<P extends ExportPath> {
  /** The page's export endpoint. */
  path: P;
  /** The filters the table currently shows (applied, not half-typed). */
  filters: ExportFilters<P>;
  /** The permission that shows the page; the button also needs `data.export`. */
  viewPermission: string;
  /** Used when the response names no file. */
  fallbackName?: string;
  /** Rows the table shows for these filters: with 0 there is nothing to export (the button is disabled). */
  rows?: number;
}

export function ExportButton<P extends ExportPath>({ path, filters, viewPermission, fallbackName = 'export.xlsx', rows }: ExportButtonProps<P>) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  if (!can(EXPORT_PERMISSION) || !can(viewPermission)) return null;
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        onClick={() => setOpen(true)}
        disabled={rows === 0}
        title={rows === 0 ? t('export.empty') : undefined}
        data-testid="export-button"
      >
        {t('export.button')}
      </Button>
      {open && <ExportModal path={path} filters={filters} fallbackName={fallbackName} onClose={() => setOpen(false)} />}
    </>
  );
}

function ExportModal<P extends ExportPath>({
  path,
  filters,
  fallbackName,
  onClose,
}: {
  path: P;
  filters: ExportFilters<P>;
  fallbackName: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ purpose: string }>();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (purpose: string) =>
      requestExport(path, { ...filters, purpose, lang: currentLanguage(i18n.resolvedLanguage ?? i18n.language) } as ExportBody<P>, fallbackName),
    onSuccess: ({ blob, filename }) => {
      saveBlob(blob, filename);
      notifySuccess(t('export.success', { filename }));
      onClose();
    },
    onError: (e) => setError(e instanceof ApiError ? e.message : t('export.failed')),
  });

  const onOk = async () => {
    let purpose: string;
    try {
      purpose = (await form.validateFields()).purpose.trim();
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    mutation.mutate(purpose);
  };

  return (
    <Modal
      open
      title={t('export.title')}
      okText={t('export.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      okButtonProps={{ 'data-testid': 'export-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="export-modal"
    >
      <Alert
        type="info"
        showIcon
        title={t('export.audited')}
        description={t('export.masked')}
        style={{ marginBottom: 16 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="export-error" />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="purpose"
          label={t('export.purpose')}
          rules={[
            { required: true, whitespace: true, message: t('export.purposeRequired') },
            {
              validator: async (_, value: string | undefined) => {
                const n = (value ?? '').trim().length;
                if (n > 0 && (n < PURPOSE_MIN || n > PURPOSE_MAX)) {
                  throw new Error(t('export.purposeLength', { min: PURPOSE_MIN, max: PURPOSE_MAX }));
                }
              },
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={PURPOSE_MAX} showCount placeholder={t('export.purposePlaceholder')} data-testid="export-purpose" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
