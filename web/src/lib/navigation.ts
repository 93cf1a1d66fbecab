/** Lets the API client send the browser to a route; the router installs its navigate function at start. */
type Navigate = (to: string) => void;

let navigateFn: Navigate | null = null;

export function setNavigator(fn: Navigate | null): void {
  navigateFn = fn;
}

export function goTo(to: string): void {
  if (typeof window !== 'undefined' && window.location.pathname === to) return;
  if (navigateFn) navigateFn(to);
  else if (typeof window !== 'undefined') window.location.assign(to);
}
