/**
 * "Export to Excel" for the query pages: the shared ExportButton's behaviour (purpose asked and audited,
 * current conditions posted with the language, .xlsx saved) for the `/api/query/*` export endpoints,
 * which the shared button's `ExportPath` does not list yet. Same props and test ids as ExportButton, so
 * once `ExportPath` includes these paths this file can become
 * `export { ExportButton as QueryExportButton } from '../../../components/ExportButton';`.
 */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, quiet } from '../../../api/client';
import { ApiError, toErrorBody } from '../../../api/errors';
import type { PostBody } from '../../../api/types';
import { EXPORT_PERMISSION, PURPOSE_MAX, PURPOSE_MIN, type ExportFile } from '../../../components/ExportButton';
import { LANGUAGES, type Language } from '../../../i18n';
import { filenameFromDisposition, saveBlob } from '../../../lib/download';
import { notifySuccess } from '../../../lib/notify';
import { useCan } from '../../auth/api/me';
import type { QueryExportPath } from '../api/types';

export type QueryExportBody<P extends QueryExportPath> = PostBody<P>;
/** What a page passes: its applied conditions, i.e. the export body without the purpose and language. */
export type QueryExportFilters<P extends QueryExportPath> = Omit<QueryExportBody<P>, 'purpose' | 'lang'>;

type ExportRequest = { [P in QueryExportPath]: { path: P; body: QueryExportBody<P> } }[QueryExportPath];

function postExport(req: ExportRequest) {
  const init = { parseAs: 'blob' as const, middleware: [quiet] };
  switch (req.path) {
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

export async function requestQueryExport<P extends QueryExportPath>(
  path: P,
  body: QueryExportBody<P>,
  fallbackName: string,
): Promise<ExportFile> {
  const { data, error, response } = await postExport({ path, body } as ExportRequest);
  if (!response.ok || !data) {
    throw new ApiError(response.status, toErrorBody(response.status, error));
  }
  return { blob: data, filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName };
}

function currentLanguage(lang: string | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : 'zh-CN';
}

export interface QueryExportButtonProps<P extends QueryExportPath> {
  path: P;
  filters: QueryExportFilters<P>;
  viewPermission: string;
  fallbackName?: string;
}

export function QueryExportButton<P extends QueryExportPath>({
  path,
  filters,
  viewPermission,
  fallbackName = 'export.xlsx',
}: QueryExportButtonProps<P>) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  if (!can(EXPORT_PERMISSION) || !can(viewPermission)) return null;
  return (
    <>
      <Button icon={<DownloadOutlined />} onClick={() => setOpen(true)} data-testid="export-button">
        {t('export.button')}
      </Button>
      {open && <ExportModal path={path} filters={filters} fallbackName={fallbackName} onClose={() => setOpen(false)} />}
    </>
  );
}

function ExportModal<P extends QueryExportPath>({
  path,
  filters,
  fallbackName,
  onClose,
}: {
  path: P;
  filters: QueryExportFilters<P>;
  fallbackName: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ purpose: string }>();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (purpose: string) =>
      requestQueryExport(
        path,
        { ...filters, purpose, lang: currentLanguage(i18n.resolvedLanguage ?? i18n.language) } as QueryExportBody<P>,
        fallbackName,
      ),
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
      return;
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
      <Alert type="info" showIcon title={t('export.audited')} description={t('export.masked')} style={{ marginBottom: 16 }} />
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
