import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// CI runs the Vitest step beside the Go tests on two cores: a screen that renders in
// 50 ms alone can take seconds there, so waits allow for that (vitest.config.ts
// raises the per-test timeout to match). A wait still ends as soon as it holds.
configure({ asyncUtilTimeout: 10_000 });

// Mantine reads these browser APIs, which happy-dom lacks or stubs differently.
const { getComputedStyle } = window;
window.getComputedStyle = (elt: Element) => getComputedStyle(elt);
window.HTMLElement.prototype.scrollIntoView = () => {};
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class ResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserver;
