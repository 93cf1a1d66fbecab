/**
 * Import the org tree from a file: choose a CSV or Excel file, see what would be created, updated and
 * rejected (with line numbers), then apply. A file with a rejected line is never applied: the user
 * fixes it and chooses it again.
 */
import { useState } from 'react';
import { Alert, Button, Modal, Space, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgImportResult } from '../../../api/types';
import { DataTable } from '../../../components/DataTable';
import { notifySuccess } from '../../../lib/notify';
import { fileToBase64, MAX_IMPORT_BYTES, useImportOrgs } from '../api/importOrgs';

type Change = OrgImportResult['creates'][number];
type Reject = OrgImportResult['rejects'][number];

interface ChosenFile {
  name: string;
  base64: string;
}

interface Props {
  onClose: () => void;
}

export function OrgImportDialog({ onClose }: Props) {
  const { t } = useTranslation('orgs');
  const run = useImportOrgs();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [result, setResult] = useState<OrgImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = (chosen: ChosenFile, apply: boolean) => {
    setError(null);
    run.mutate(
      { file_name: chosen.name, content_base64: chosen.base64, apply },
      {
        onSuccess: (r) => {
          if (r.applied) {
            notifySuccess(t('import.applied', { created: r.creates.length, updated: r.updates.length }));
            onClose();
          } else {
            setResult(r);
          }
        },
        onError: (e) => {
          setResult(null);
          setError(e.message);
        },
      },
    );
  };

  const choose = async (f: File) => {
    setResult(null);
    if (f.size > MAX_IMPORT_BYTES) {
      setFile(null);
      setError(t('import.tooLarge', { kb: Math.floor(MAX_IMPORT_BYTES / 1000) }));
      return;
    }
    const chosen = { name: f.name, base64: await fileToBase64(f) };
    setFile(chosen);
    send(chosen, false);
  };

  const canApply =
    file !== null && result !== null && result.rejects.length === 0 && result.creates.length + result.updates.length > 0;

  const changeRows = result
    ? [
        ...result.creates.map((c) => ({ ...c, action: 'create' as const })),
        ...result.updates.map((c) => ({ ...c, action: 'update' as const })),
      ].sort((a, b) => a.line - b.line)
    : [];

  const changeColumns = [
    { title: t('import.line'), dataIndex: 'line', width: 70 },
    {
      title: t('import.action'),
      dataIndex: 'action',
      width: 90,
      render: (v: 'create' | 'update') => <Tag color={v === 'create' ? 'green' : 'blue'}>{t(`import.${v}`)}</Tag>,
    },
    { title: t('fields.code'), dataIndex: 'code', width: 110 },
    { title: t('fields.name'), dataIndex: 'name' },
    { title: t('fields.level'), dataIndex: 'level', width: 100, render: (v: Change['level']) => t(`levels.${v}`) },
    { title: t('import.parent'), dataIndex: 'parent_code', width: 110 },
    {
      title: t('import.changes'),
      dataIndex: 'changes',
      render: (v: Change['changes']) =>
        Object.entries(v)
          .map(([k, [from, to]]) => `${t(`import.field.${k}`)}: ${from ?? '—'} → ${to ?? '—'}`)
          .join('; '),
    },
  ];
  const rejectColumns = [
    { title: t('import.line'), dataIndex: 'line', width: 70 },
    { title: t('fields.code'), dataIndex: 'code', width: 110 },
    { title: t('import.reason'), dataIndex: 'reason' },
  ];

  return (
    <Modal
      open
      width={900}
      title={t('import.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('import.cancel')}</Button>
          <Button
            type="primary"
            disabled={!canApply}
            loading={run.isPending && result !== null}
            onClick={() => file && send(file, true)}
            data-testid="org-import-apply"
          >
            {t('import.apply')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="org-import-dialog">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('import.hint')}
        </Typography.Paragraph>
        <Upload
          accept=".csv,.txt,.xlsx"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(f) => {
            void choose(f);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={run.isPending && result === null} data-testid="org-import-choose">
            {file ? t('import.chooseAgain', { name: file.name }) : t('import.choose')}
          </Button>
        </Upload>
        {error && <Alert type="error" showIcon title={error} data-testid="org-import-error" />}
        {result && (
          <>
            <Typography.Text data-testid="org-import-summary">
              {t('import.summary', {
                format: result.file_format === 'xlsx' ? 'Excel' : `CSV ${result.encoding ?? ''}`.trim(),
                rows: result.rows,
                created: result.creates.length,
                updated: result.updates.length,
                unchanged: result.unchanged,
                rejected: result.rejects.length,
              })}
            </Typography.Text>
            {result.rejects.length > 0 && (
              <>
                <Alert type="error" showIcon title={t('import.hasRejects', { count: result.rejects.length })} />
                <DataTable<Reject> testId="org-import-rejects" rowKey="line" rows={result.rejects} columns={rejectColumns} />
              </>
            )}
            {result.rejects.length === 0 && changeRows.length === 0 && (
              <Alert type="info" showIcon title={t('import.nothing')} />
            )}
            {changeRows.length > 0 && (
              <DataTable<(typeof changeRows)[number]>
                testId="org-import-changes"
                rowKey="line"
                rows={changeRows}
                columns={changeColumns}
              />
            )}
            {result.absent.length > 0 && (
              <Alert
                type="warning"
                showIcon
                data-testid="org-import-absent"
                title={t('import.absent', { count: result.absent.length })}
                description={result.absent.map((a) => `${a.code} ${a.name}`).join('、')}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
