/** The query pages export through the shared export button (purpose, masking and audit on the server). */
export { ExportButton as QueryExportButton } from '../../../components/ExportButton';
