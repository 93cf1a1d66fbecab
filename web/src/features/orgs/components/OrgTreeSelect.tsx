import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import type { OrgNode } from '../../../api/types';
import { useOrgTree } from '../api/getOrgTree';

interface TreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: readonly OrgNode[], exclude: ReadonlySet<number>, activeOnly: boolean): TreeOption[] {
  return nodes
    .filter((n) => !exclude.has(n.id))
    .map((n) => ({
      value: n.id,
      title: `${n.name} (${n.code})`,
      disabled: activeOnly && n.status === 'closed',
      children: toOptions(n.children, exclude, activeOnly),
    }));
}

export interface OrgTreeSelectProps {
  value?: number | null;
  onChange?: (value: number | undefined) => void;
  /** Orgs not offered (e.g. a node's own subtree when moving it). */
  exclude?: ReadonlySet<number>;
  /** Closed orgs shown but not selectable. */
  activeOnly?: boolean;
  allowClear?: boolean;
  placeholder?: string;
  testId?: string;
  style?: React.CSSProperties;
}

/** Org picker over /api/orgs/tree; works as a controlled antd Form field. */
export function OrgTreeSelect({
  value,
  onChange,
  exclude,
  activeOnly = true,
  allowClear = false,
  placeholder,
  testId,
  style,
}: OrgTreeSelectProps) {
  const tree = useOrgTree();
  const treeData = useMemo(
    () => toOptions(tree.data ?? [], exclude ?? new Set(), activeOnly),
    [tree.data, exclude, activeOnly],
  );
  return (
    <TreeSelect<number>
      data-testid={testId}
      style={{ minWidth: 220, ...style }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      loading={tree.isPending}
      allowClear={allowClear}
      placeholder={placeholder}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
    />
  );
}
