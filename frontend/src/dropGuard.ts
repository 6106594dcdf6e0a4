// The desktop window must never navigate to a file dropped on it: WebKitGTK
// does so unless dragenter, dragover and drop are all cancelled on the window.
// Drop areas that accept files handle the drop themselves (Wails' native
// file drop, or Mantine's Dropzone in a browser).
export function installDropGuard(target: Window = window): () => void {
  const cancel = (e: Event) => e.preventDefault();
  const events = ['dragenter', 'dragover', 'drop'] as const;
  for (const name of events) target.addEventListener(name, cancel);
  return () => {
    for (const name of events) target.removeEventListener(name, cancel);
  };
}
