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
// happy-dom gives <wbr> (a line-break opportunity) display "block", so
// accessible names would read "ada@ example.com"; browsers keep it inline.
window.getComputedStyle = (elt: Element) => {
  const style = getComputedStyle(elt);
  if (elt.tagName !== 'WBR') return style;
  return new Proxy(style, {
    get(target, prop) {
      if (prop === 'display') return 'inline';
      if (prop === 'getPropertyValue') {
        return (name: string) => (name === 'display' ? 'inline' : target.getPropertyValue(name));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
};
window.HTMLElement.prototype.scrollIntoView = () => {};
// Textarea's autosize listens for web fonts loading; happy-dom has no document.fonts.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { value: { addEventListener() {}, removeEventListener() {} } });
}
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
