import type { ReactNode } from 'react';
import { Layout } from 'antd';
import { LanguageSwitch } from './LanguageSwitch';
import { Panel } from './Panel';

/** Frame for the screens shown outside the main layout (login, forced password change). */
export function CenteredCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <div style={{ position: 'absolute', top: 16, right: 16 }}>
        <LanguageSwitch />
      </div>
      <Panel title={title} style={{ width: 420, maxWidth: '100%' }}>
        {children}
      </Panel>
    </Layout>
  );
}
