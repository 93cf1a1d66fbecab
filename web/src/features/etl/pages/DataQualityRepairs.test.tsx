import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithApp, stubFetch, makeMe } from '../../../test/render';
import { DataQualityPage } from './DataQualityPage';

const me = (permissions: string[]) => makeMe({ permissions });

const base = {
  business_date: '20240131',
  id_type: '101',
  id_no: '11010*********1234',
  created_at: '2024-02-01T01:00:00Z',
  resolved_at: null,
  resolved_by: null,
  note: null,
  status: 'open',
};
const conflict = { ...base, id: 5, kind: 'id_name_conflict', system: 'core', ref: 'C0001', customer_id: 12, detail: { names: ['张三', '张叁'] } };
const review = { ...base, id: 7, kind: 'name_match_review', system: null, ref: null, customer_id: 31, detail: { same_name_customer_id: 12 } };
const changed = {
  ...base,
  id: 8,
  kind: 'link_changed',
  system: 'sav',
  ref: '6222000011112222',
  customer_id: 40,
  detail: { now_names_customer_id: 41 },
};
const unmapped = { ...base, id: 9, kind: 'unmapped_org', system: 'card', ref: 'K100', customer_id: null, detail: { src_name: '城东' } };
const issues = { items: [conflict, review, changed, unmapped], total: 4 };

const tree = [
  { id: 1, code: '000', name: '总行', level: 'head', status: 'active', parent_id: null, children: [
    { id: 2, code: '100', name: '城东支行', level: 'sub_branch', status: 'active', parent_id: 1, children: [] },
  ] },
];
const mappings = {
  items: [
    { system: 'card', src_code: 'K100', src_name: '城东', org_id: null, method: null, updated_at: '2024-02-01T01:00:00Z' },
    { system: 'card', src_code: 'X9', src_name: '某网点', org_id: null, method: null, updated_at: '2024-02-01T01:00:00Z' },
    { system: 'core', src_code: '100', src_name: '城东', org_id: 2, method: 'rule', updated_at: '2024-02-01T01:00:00Z' },
  ],
  total: 3,
};
const rule = { system: 'wm', strip_prefix: 'W', add_prefix: '', updated_at: '2024-02-01T01:00:00Z', updated_by: 'dataadmin' };

afterEach(() => {
  vi.unstubAllGlobals();
});

function stub(permissions: string[], extra: Record<string, { status: number; body?: unknown }> = {}) {
  const s = stubFetch({
    'GET /api/auth/me': { status: 200, body: me(permissions) },
    'GET /api/etl/dq/issues': { status: 200, body: issues },
    'GET /api/etl/org-mappings': { status: 200, body: mappings },
    'GET /api/etl/org-mapping-rules': { status: 200, body: [rule] },
    'GET /api/orgs/tree': { status: 200, body: tree },
    ...extra,
  });
  vi.stubGlobal('fetch', s.fn);
  return s;
}

const count = (seen: Request[], method: string, path: string) =>
  seen.filter((r) => r.method === method && new URL(r.url).pathname === path).length;

/** The <input> inside an antd control that carries the test id (or the element itself). */
function inputOf(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el instanceof HTMLInputElement ? el : el.querySelector('input')) as HTMLInputElement;
}

function openMappings() {
  return renderWithApp(<DataQualityPage />, { path: '/etl/quality', initialEntry: '/etl/quality?tab=mappings' });
}

describe('DataQualityPage prefix rules', () => {
  it('lists the rules, saves a new one with the typed system and shows the counts, then asks the lists again', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'PUT /api/etl/org-mapping-rules/card': {
        status: 200,
        body: { rule: { ...rule, system: 'card', strip_prefix: 'K' }, mapped: 1, unmapped: 1 },
      },
    });
    openMappings();
    const rules = await screen.findByTestId('org-mapping-rules-table');
    expect(await within(rules).findByText('wm')).toBeInTheDocument();
    expect(within(rules).getByText('W')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('map-org-core-100')).toHaveTextContent('城东支行'));
    expect(within(screen.getByTestId('org-mappings-table')).getByText('前缀规则')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('rules-add'));
    const modal = await screen.findByTestId('rule-modal');
    fireEvent.click(screen.getByTestId('rule-submit'));
    expect(await within(modal).findByText('请选择或输入来源系统')).toBeInTheDocument();
    // Neither prefix: the identity rule (codes equal in both systems), said so and previewed.
    expect(within(modal).getByTestId('rule-identity')).toHaveTextContent('两项都不填：两个系统的机构代码相同，按原代码映射');

    fireEvent.change(inputOf('rule-system'), { target: { value: 'card' } });
    fireEvent.change(inputOf('rule-strip'), { target: { value: 'K-' } });
    fireEvent.click(screen.getByTestId('rule-submit'));
    expect(await within(modal).findByText('前缀为 0–16 个字母或数字')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'PUT')).toBe(false);

    fireEvent.change(inputOf('rule-strip'), { target: { value: 'K' } });
    await waitFor(() => expect(screen.getByTestId('rule-preview')).toHaveTextContent('K100 → 100'));
    expect(screen.getByTestId('rule-preview')).toHaveTextContent('X9 → 不含该前缀，不归并');

    const rulesBefore = count(seen, 'GET', '/api/etl/org-mapping-rules');
    const mappingsBefore = count(seen, 'GET', '/api/etl/org-mappings');
    fireEvent.click(screen.getByTestId('rule-submit'));
    await waitFor(() => expect(screen.queryByTestId('rule-modal')).toBeNull());
    const put = seen.find((r) => r.method === 'PUT');
    expect(new URL(put?.url ?? '').pathname).toBe('/api/etl/org-mapping-rules/card');
    expect(put?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await put?.clone().json()).toEqual({ strip_prefix: 'K', add_prefix: '' });
    expect(await screen.findByText('card 规则已保存：本次归并 1 个，仍未映射 1 个')).toBeInTheDocument();
    await waitFor(() => expect(count(seen, 'GET', '/api/etl/org-mapping-rules')).toBeGreaterThan(rulesBefore));
    await waitFor(() => expect(count(seen, 'GET', '/api/etl/org-mappings')).toBeGreaterThan(mappingsBefore));
  });

  it('edits a rule of its system and shows a refusal of the server inline', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'PUT /api/etl/org-mapping-rules/wm': { status: 400, body: { code: 'unknown_system', message: '未知源系统 / unknown source system: wm' } },
    });
    openMappings();
    fireEvent.click(await screen.findByTestId('rule-edit-wm'));
    await screen.findByTestId('rule-modal');
    expect(inputOf('rule-system')).toBeDisabled();
    expect(inputOf('rule-strip')).toHaveValue('W');
    fireEvent.change(inputOf('rule-add'), { target: { value: '9' } });
    fireEvent.click(screen.getByTestId('rule-submit'));
    expect(await screen.findByTestId('rule-error')).toHaveTextContent('未知源系统 / unknown source system: wm');
    expect(await seen.find((r) => r.method === 'PUT')?.clone().json()).toEqual({ strip_prefix: 'W', add_prefix: '9' });
  });

  it('deletes a rule after confirming', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], { 'DELETE /api/etl/org-mapping-rules/wm': { status: 204 } });
    openMappings();
    fireEvent.click(await screen.findByTestId('rule-delete-wm'));
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);
    fireEvent.click(await screen.findByTestId('rule-delete-confirm'));
    await waitFor(() => expect(seen.some((r) => r.method === 'DELETE')).toBe(true));
    const del = seen.find((r) => r.method === 'DELETE');
    expect(new URL(del?.url ?? '').pathname).toBe('/api/etl/org-mapping-rules/wm');
    expect(del?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await screen.findByText('wm 的前缀规则已删除')).toBeInTheDocument();
  });

  it('shows the rules but no add, edit or delete without dq.edit', async () => {
    stub(['dq.view']);
    openMappings();
    const rules = await screen.findByTestId('org-mapping-rules-table');
    expect(await within(rules).findByText('wm')).toBeInTheDocument();
    expect(screen.queryByTestId('rules-add')).toBeNull();
    expect(screen.queryByTestId('rule-edit-wm')).toBeNull();
    expect(screen.queryByTestId('rule-delete-wm')).toBeNull();
  });
});

describe('DataQualityPage repairs from issues', () => {
  it('offers merge on name reviews and ID conflicts, move on changed links, neither on other kinds', async () => {
    stub(['dq.view', 'dq.edit']);
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    expect(await screen.findByTestId('dq-merge-7')).toHaveTextContent('合并客户');
    expect(screen.getByTestId('dq-merge-5')).toBeInTheDocument();
    expect(screen.getByTestId('dq-relink-8')).toHaveTextContent('改挂账户');
    expect(screen.queryByTestId('dq-relink-5')).toBeNull();
    expect(screen.queryByTestId('dq-merge-8')).toBeNull();
    expect(screen.queryByTestId('dq-merge-9')).toBeNull();
    expect(screen.queryByTestId('dq-relink-9')).toBeNull();
    expect(screen.getByTestId('dq-resolve-9')).toBeInTheDocument();
  });

  it('merges from a same-name review with the prefilled ids and the note, then asks the issues again', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'POST /api/etl/dq/merge': { status: 200, body: { survivor_id: 12, links_moved: 2 } },
    });
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    fireEvent.click(await screen.findByTestId('dq-merge-7'));
    const modal = await screen.findByTestId('dq-merge-modal');
    expect(inputOf('dq-merge-survivor')).toHaveValue('12');
    expect(inputOf('dq-merge-merged')).toHaveValue('31');

    fireEvent.click(screen.getByTestId('dq-merge-submit'));
    expect(await within(modal).findByText('请填写处理说明')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    const issuesBefore = count(seen, 'GET', '/api/etl/dq/issues');
    fireEvent.change(screen.getByTestId('dq-note'), { target: { value: ' 同一人，证件换发 ' } });
    fireEvent.click(screen.getByTestId('dq-merge-submit'));
    await waitFor(() => expect(screen.queryByTestId('dq-merge-modal')).toBeNull());
    const post = seen.find((r) => r.method === 'POST');
    expect(new URL(post?.url ?? '').pathname).toBe('/api/etl/dq/merge');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await post?.clone().json()).toEqual({ survivor_id: 12, merged_id: 31, note: '同一人，证件换发' });
    expect(await screen.findByText('已合并到客户 #12，移动账户 2 个')).toBeInTheDocument();
    await waitFor(() => expect(count(seen, 'GET', '/api/etl/dq/issues')).toBeGreaterThan(issuesBefore));
  });

  it('starts a merge from an ID conflict with its customer as survivor and refuses the same id twice', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'POST /api/etl/dq/merge': { status: 409, body: { code: 'type_mismatch', message: '个人与对公客户不能合并' } },
    });
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    fireEvent.click(await screen.findByTestId('dq-merge-5'));
    const modal = await screen.findByTestId('dq-merge-modal');
    expect(inputOf('dq-merge-survivor')).toHaveValue('12');
    expect(inputOf('dq-merge-merged')).toHaveValue('');
    fireEvent.change(screen.getByTestId('dq-note'), { target: { value: '核实为同一人' } });

    fireEvent.change(inputOf('dq-merge-merged'), { target: { value: '12' } });
    fireEvent.click(screen.getByTestId('dq-merge-submit'));
    expect(await within(modal).findByText('保留客户与被合并客户不能相同')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(inputOf('dq-merge-merged'), { target: { value: '13' } });
    fireEvent.click(screen.getByTestId('dq-merge-submit'));
    expect(await screen.findByTestId('dq-merge-error')).toHaveTextContent('个人与对公客户不能合并');
    expect(await seen.find((r) => r.method === 'POST')?.clone().json()).toEqual({ survivor_id: 12, merged_id: 13, note: '核实为同一人' });
  });

  it('moves the account of a changed link to the customer the feed now names', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'POST /api/etl/dq/relink': { status: 200, body: { system: 'sav', customer_id: 41 } },
    });
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    fireEvent.click(await screen.findByTestId('dq-relink-8'));
    const modal = await screen.findByTestId('dq-relink-modal');
    expect(within(modal).getByText('6222000011112222')).toBeInTheDocument();
    expect(inputOf('dq-relink-customer')).toHaveValue('41');

    fireEvent.click(screen.getByTestId('dq-relink-submit'));
    expect(await within(modal).findByText('请填写处理说明')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    const issuesBefore = count(seen, 'GET', '/api/etl/dq/issues');
    fireEvent.change(screen.getByTestId('dq-note'), { target: { value: '账户已过户' } });
    fireEvent.click(screen.getByTestId('dq-relink-submit'));
    await waitFor(() => expect(screen.queryByTestId('dq-relink-modal')).toBeNull());
    const post = seen.find((r) => r.method === 'POST');
    expect(new URL(post?.url ?? '').pathname).toBe('/api/etl/dq/relink');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await post?.clone().json()).toEqual({ system: 'sav', account_no: '6222000011112222', customer_id: 41, note: '账户已过户' });
    expect(await screen.findByText('账户已改挂到客户 #41')).toBeInTheDocument();
    await waitFor(() => expect(count(seen, 'GET', '/api/etl/dq/issues')).toBeGreaterThan(issuesBefore));
  });

  it('offers no merge or move without dq.edit', async () => {
    stub(['dq.view']);
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    const table = await screen.findByTestId('dq-issues-table');
    await within(table).findByText('张三、张叁');
    expect(screen.queryByTestId('dq-merge-5')).toBeNull();
    expect(screen.queryByTestId('dq-merge-7')).toBeNull();
    expect(screen.queryByTestId('dq-relink-8')).toBeNull();
  });
});
