import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { makeMe, renderWithApp, stubFetch } from '../../../test/render';
import { OrgsPage } from '../pages/OrgsPage';

const tree = [{ id: 1, code: '000000', name: '总行', level: 'head', status: 'active', parent_id: null, path: '/1/', merged_into_id: null, children: [] }];
const ORG_ADMIN = ['org.view', 'org.create', 'org.edit', 'org.move'];

const base = { file_name: 'tree.csv', file_format: 'csv', encoding: 'GBK', rows: 3, unchanged: 0, absent: [], updates: [] };
const creates = [
  { line: 2, code: '320000', name: '江苏省分行', level: 'province', parent_code: '000000', type: null, changes: {} },
  { line: 3, code: '320100', name: '南京分行', level: 'city', parent_code: '320000', type: null, changes: {} },
];
const withRejects = {
  ...base,
  rows: 4,
  creates,
  rejects: [{ line: 4, code: '320500', reason: '上级机构 NOPE 不在文件中也不在机构树中 / unknown parent NOPE: not in the file or the tree' }],
  applied: false,
};
const clean = {
  ...base,
  creates,
  updates: [{ line: 1, code: '000000', name: '示范银行总行', level: 'head', parent_code: null, type: null, changes: { name: ['总行', '示范银行总行'] } }],
  rejects: [],
  absent: [{ code: 'OLD1', name: '旧网点' }],
  applied: false,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The page's reads answered by stubFetch; POST /api/orgs/import by `answer` (given the parsed body). */
function stub(answer: (body: { apply: boolean }) => { status: number; body: unknown }, permissions = ORG_ADMIN) {
  const reads = stubFetch({
    'GET /api/auth/me': { status: 200, body: makeMe({ permissions }) },
    'GET /api/orgs/tree': { status: 200, body: tree },
  });
  const posts: Record<string, unknown>[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input, init);
    if (req.method === 'POST' && new URL(req.url).pathname === '/api/orgs/import') {
      expect(req.headers.get('Content-Type')).toContain('application/json');
      expect(req.headers.get('X-CSRF-Token')).toBe('csrf-1');
      const body = (await req.json()) as Record<string, unknown>;
      posts.push(body);
      const a = answer(body as { apply: boolean });
      return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': 'application/json' } });
    }
    return reads.fn(req);
  };
  vi.stubGlobal('fetch', fn);
  return { posts, seen: reads.seen };
}

function chooseFile(content: BlobPart, name = 'tree.csv') {
  const input = screen.getByTestId('org-import-dialog').querySelector('input[type="file"]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([content], name, { type: 'text/csv' })] } });
}

const decode = (b64: unknown) => new TextDecoder().decode(Uint8Array.from(atob(String(b64)), (c) => c.charCodeAt(0)));

describe('OrgImportDialog', { timeout: 40_000 }, () => {
  it('previews the chosen file, lists rejects with line and reason, and does not offer to apply', async () => {
    const { posts } = stub(() => ({ status: 200, body: withRejects }));
    renderWithApp(<OrgsPage />, { path: '/system/orgs' });
    fireEvent.click(await screen.findByTestId('org-import'));
    const text = '机构代码,机构名称,上级机构代码,机构级别\n320000,江苏省分行,000000,省分行\n';
    chooseFile(text);

    const rejects = await screen.findByTestId('org-import-rejects');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ file_name: 'tree.csv', apply: false });
    expect(decode(posts[0]?.content_base64)).toBe(text);
    const row = within(rejects).getByText('320500').closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('4');
    expect(row).toHaveTextContent('unknown parent NOPE');
    expect(screen.getByTestId('org-import-summary')).toHaveTextContent('CSV GBK，共 4 行：新建 2，修改 0，不变 0，拒绝 1');
    expect(screen.getByText('有 1 行被拒绝：请修改文件后重新选择，本次不会写入任何数据')).toBeInTheDocument();
    expect(within(screen.getByTestId('org-import-changes')).getByText('南京分行')).toBeInTheDocument();
    expect(screen.getByTestId('org-import-apply')).toBeDisabled();
  });

  it('applies a clean file after the preview, then closes and reloads the tree', async () => {
    const { posts, seen } = stub((body) => ({ status: 200, body: { ...clean, applied: body.apply } }));
    renderWithApp(<OrgsPage />, { path: '/system/orgs' });
    fireEvent.click(await screen.findByTestId('org-import'));
    chooseFile('x');
    const changes = await screen.findByTestId('org-import-changes');
    expect(within(changes).getByText('名称: 总行 → 示范银行总行')).toBeInTheDocument();
    expect(screen.getByTestId('org-import-absent')).toHaveTextContent('OLD1 旧网点');
    const treeReads = seen.filter((r) => new URL(r.url).pathname === '/api/orgs/tree').length;

    const apply = screen.getByTestId('org-import-apply');
    await waitFor(() => expect(apply).toBeEnabled());
    fireEvent.click(apply);
    await waitFor(() => expect(screen.queryByTestId('org-import-dialog')).toBeNull());
    expect(posts.map((p) => p.apply)).toEqual([false, true]);
    expect(posts[1]?.content_base64).toBe(posts[0]?.content_base64);
    expect(await screen.findByText('已导入：新建 2 个，修改 1 个机构')).toBeInTheDocument();
    await waitFor(() =>
      expect(seen.filter((r) => new URL(r.url).pathname === '/api/orgs/tree').length).toBeGreaterThan(treeReads),
    );
  });

  it('shows a file-level error in the dialog', async () => {
    stub(() => ({ status: 400, body: { code: 'import_file_invalid', message: '缺少列：上级机构代码 / missing columns: parent code' } }));
    renderWithApp(<OrgsPage />, { path: '/system/orgs' });
    fireEvent.click(await screen.findByTestId('org-import'));
    chooseFile('code,name\n');
    expect(await screen.findByTestId('org-import-error')).toHaveTextContent('缺少列：上级机构代码');
    expect(screen.getByTestId('org-import-apply')).toBeDisabled();
  });

  it('is offered only to users who may create, rename and move orgs', async () => {
    stub(() => ({ status: 500, body: {} }), ['org.view', 'org.create', 'org.edit']);
    renderWithApp(<OrgsPage />, { path: '/system/orgs' });
    expect(await screen.findByTestId('org-tree')).toBeInTheDocument();
    expect(screen.queryByTestId('org-import')).toBeNull();
  });
});
