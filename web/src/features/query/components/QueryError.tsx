import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { queryErrorKind, validationLines } from '../utils/query';

/** A refused query, in words: malformed conditions (422) with the server's reasons, an org outside scope (404), … */
export function QueryError({ error }: { error: unknown }) {
  const { t } = useTranslation('query');
  const kind = queryErrorKind(error);
  const lines = validationLines(error);
  const title =
    kind === 'invalid'
      ? t('errors.invalid')
      : kind === 'org'
        ? t('errors.org')
        : kind === 'sensitive'
          ? t('errors.sensitive')
          : error instanceof ApiError
            ? error.message
            : t('errors.failed');
  return (
    <Alert
      type="error"
      showIcon
      title={title}
      description={
        lines.length ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
      data-testid="query-error"
    />
  );
}
