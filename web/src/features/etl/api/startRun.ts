import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type { EtlStartBody, EtlStarted } from '../../../api/types';

/**
 * Starts loading one business date from the server's inbox folder (`<inbox>/YYYYMMDD/`); the server answers 202
 * with the new run (running). Errors (`no_files`, `load_running`) are shown by the modal (`quiet`: no toast).
 */
export function startRun(body: EtlStartBody): Promise<EtlStarted> {
  return unwrap(api.POST('/api/etl/runs', { body, middleware: [quiet] }));
}

/** Start a load; the run list is asked again (it then polls while the new run is running). */
export function useStartRun() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: startRun, onSuccess: () => qc.invalidateQueries({ queryKey: ['etl', 'runs'] }) });
}
