/** Org tree import: preview (`apply` false) or apply a CSV / Excel file sent as base64 inside JSON. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type { OrgImportBody, OrgImportResult } from '../../../api/types';
import { orgKeys } from './getOrgTree';

/** The server's cap on the file (bytes); bigger files are refused before they are sent. */
export const MAX_IMPORT_BYTES = 700_000;

export function importOrgs(body: OrgImportBody): Promise<OrgImportResult> {
  // The dialog shows the error itself (e.g. a file without the required columns).
  return unwrap(api.POST('/api/orgs/import', { body, middleware: [quiet] }));
}

export function useImportOrgs() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: importOrgs,
    onSuccess: (result) => {
      if (result.applied) void qc.invalidateQueries({ queryKey: orgKeys.all });
    },
  });
}

/** The file's bytes as base64 (FileReader: available in every browser and in the tests' jsdom). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
