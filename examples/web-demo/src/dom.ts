/** A tiny DOM helper: `h('button', { 'data-testid': 'send', onclick }, 'Send')`. No framework. */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces an element's text only when it changed (keeps tests and screen readers calm). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Shows or hides an element with the `hidden` attribute. */
export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

/** Human-readable error text (SDK errors carry a message and sometimes user guidance). */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const guidance = (error as { guidance?: unknown }).guidance;
    if (typeof guidance === 'string') return guidance;
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return String(error);
}
