import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { NOTE_MAX, NOTE_MIN } from '../utils/dq';

/** The required note (2–500 characters once trimmed) every data-quality decision keeps; a field named `note`. */
export function DqNoteField({ testId = 'dq-note' }: { testId?: string }) {
  const { t } = useTranslation('etl');
  return (
    <Form.Item
      name="note"
      label={t('dq.fields.note')}
      rules={[
        { required: true, whitespace: true, message: t('dq.noteRequired') },
        {
          validator: async (_, value: string | undefined) => {
            const n = (value ?? '').trim().length;
            if (n > 0 && (n < NOTE_MIN || n > NOTE_MAX)) throw new Error(t('dq.noteLength', { min: NOTE_MIN, max: NOTE_MAX }));
          },
        },
      ]}
    >
      <Input.TextArea rows={4} maxLength={NOTE_MAX} showCount data-testid={testId} />
    </Form.Item>
  );
}
