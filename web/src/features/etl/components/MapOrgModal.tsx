import { useState } from 'react';
import { Alert, Descriptions, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgMapping } from '../../../api/types';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { OrgTreeSelect } from '../../orgs/components/OrgTreeSelect';
import { useMapOrg } from '../api/dq';

/** Maps a source system's org code to a bank org chosen in the org tree. */
export function MapOrgModal({ mapping, onClose }: { mapping: OrgMapping; onClose: () => void }) {
  const { t } = useTranslation('etl');
  const [form] = Form.useForm<{ org_id: number }>();
  const [error, setError] = useState<string | null>(null);
  const map = useMapOrg();

  const onOk = async () => {
    let orgId: number;
    try {
      orgId = (await form.validateFields()).org_id;
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    map.mutate(
      { system: mapping.system, srcCode: mapping.src_code, orgId },
      {
        onSuccess: () => {
          notifySuccess(t('mappings.saved'));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('mappings.failed')),
      },
    );
  };

  return (
    <Modal
      open
      title={t('mappings.mapTitle', { system: mapping.system, code: mapping.src_code })}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={map.isPending}
      okButtonProps={{ 'data-testid': 'map-submit' } as Record<string, string>}
      destroyOnHidden
      data-testid="map-modal"
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('mappings.fields.system')}>{mapping.system}</Descriptions.Item>
        <Descriptions.Item label={t('mappings.fields.src_code')}>{mapping.src_code}</Descriptions.Item>
        <Descriptions.Item label={t('mappings.fields.src_name')}>{mapping.src_name ?? ''}</Descriptions.Item>
      </Descriptions>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="map-error" />}
      <Form form={form} layout="vertical" initialValues={{ org_id: mapping.org_id ?? undefined }}>
        <Form.Item name="org_id" label={t('mappings.fields.org')} rules={[{ required: true, message: t('mappings.orgRequired') }]}>
          <OrgTreeSelect testId="map-org" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
