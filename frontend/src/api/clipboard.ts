import { ClipboardSetText } from '../../wailsjs/runtime/runtime';

/**
 * copyText puts text on the clipboard and says whether it could: through the
 * web view's clipboard API where it allows it (a browser, or a click still
 * being handled), else through the window's own clipboard (Wails' runtime,
 * which the desktop web view needs once a call to Go has come between the
 * click and the copy).
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Not allowed here: try the window's clipboard.
  }
  try {
    return await ClipboardSetText(text);
  } catch {
    return false;
  }
}
