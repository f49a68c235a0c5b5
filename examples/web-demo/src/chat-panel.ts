import { Subscription } from 'rxjs';
import type { HcwClient } from '../../../src/index.js';
import type { ChatEntry, ChatStore } from '../../../src/state/index.js';
import { describeError, h, setText, show } from './dom.js';

/** How long after the last keystroke the others stop seeing "typing…". */
const TYPING_IDLE_MS = 2500;

/**
 * Chat: messages (optimistic, with delivery state and read receipts), a typing indicator, and an
 * input that reports typing. Messages from the others are marked read while the page is visible.
 */
export function createChatPanel(client: HcwClient, store: ChatStore): { element: HTMLElement; subscription: Subscription } {
  const me = String(client.identity.userId);
  const subscription = new Subscription();
  const list = h('ol', { 'data-testid': 'chat-messages', class: 'messages', 'aria-live': 'polite' });
  const typing = h('div', { 'data-testid': 'typing-indicator', class: 'typing', hidden: true });
  const input = h('input', {
    'data-testid': 'chat-input',
    type: 'text',
    placeholder: 'Write a message…',
    autocomplete: 'off',
    maxlength: 10000,
  });
  const send = h('button', { type: 'submit', 'data-testid': 'chat-send' }, 'Send');
  const error = h('div', { 'data-testid': 'chat-error', class: 'error', hidden: true });
  const form = h('form', { class: 'composer' }, input, send);
  const older = h('button', { type: 'button', 'data-testid': 'chat-load-older', class: 'link', hidden: true }, 'Load older messages');
  const element = h('section', { 'data-testid': 'chat-panel', class: 'panel chat' }, h('h2', {}, 'Chat'), older, list, typing, error, form);

  // ---- Typing: start on the first keystroke, stop after a pause or when sending.
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSent = false;
  const stopTyping = () => {
    if (typingTimer) clearTimeout(typingTimer);
    typingTimer = undefined;
    if (typingSent) void client.chat.setTyping(false).catch(() => undefined);
    typingSent = false;
  };
  input.addEventListener('input', () => {
    if (input.value.trim() === '') return stopTyping();
    if (!typingSent) void client.chat.setTyping(true).catch(() => undefined);
    typingSent = true;
    if (typingTimer) clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const content = input.value.trim();
    if (!content) return;
    input.value = '';
    stopTyping();
    show(error, false);
    void store.send(content).then((entry) => {
      if (entry.status === 'failed') {
        setText(error, `Not sent: ${describeError(entry.error)}`);
        show(error, true);
      }
    });
  });

  older.addEventListener(
    'click',
    () =>
      void store.loadOlder().catch((e: unknown) => {
        setText(error, describeError(e));
        show(error, true);
      }),
  );

  // ---- Messages: keyed list items, updated in place.
  const items = new Map<string, HTMLLIElement>();
  const render = (entries: readonly ChatEntry[]) => {
    const keys = new Set(entries.map((entry) => entry.key));
    for (const [key, item] of items) {
      if (!keys.has(key)) {
        item.remove();
        items.delete(key);
      }
    }
    // A pending entry is re-keyed with the server id once sent: carry the element over.
    let previous: HTMLLIElement | undefined;
    for (const entry of entries) {
      let item = items.get(entry.key);
      if (!item) {
        const pending = entry.message.clientUuid ? items.get(entry.message.clientUuid) : undefined;
        if (pending) {
          items.delete(entry.message.clientUuid!);
          item = pending;
        } else {
          item = messageItem();
        }
        items.set(entry.key, item);
      }
      updateItem(item, entry, me, store);
      const expectedPosition: ChildNode | null = previous ? previous.nextSibling : list.firstChild;
      if (expectedPosition !== item) list.insertBefore(item, expectedPosition);
      previous = item;
    }
    list.scrollTop = list.scrollHeight;
  };
  subscription.add(store.messages$.subscribe(render));
  subscription.add(store.hasMore$.subscribe((more) => show(older, more)));

  subscription.add(
    store.typingUsers$.subscribe((users) => {
      const names = users.map((user) => user.userName ?? user.userId);
      setText(typing, names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`);
      show(typing, names.length > 0);
    }),
  );

  // ---- Read receipts: mark what the others wrote as read while this page is visible.
  const requested = new Set<string>();
  const markVisibleRead = () => {
    if (document.visibilityState !== 'visible') return;
    const unread = store.messages.filter(
      (entry) => entry.status === 'sent' && authorOf(entry) !== me && !entry.readBy.includes(me) && !requested.has(entry.key),
    );
    if (unread.length === 0) return;
    for (const entry of unread) requested.add(entry.key);
    const ids = unread.map((entry) => entry.message.id);
    client.chat.markManyRead(ids).catch(() => {
      for (const entry of unread) requested.delete(entry.key); // retried with the next change
    });
  };
  subscription.add(store.messages$.subscribe(() => markVisibleRead()));
  document.addEventListener('visibilitychange', markVisibleRead);
  subscription.add(() => document.removeEventListener('visibilitychange', markVisibleRead));
  subscription.add(() => stopTyping());

  // The newest page of history (the store refills gaps after reconnections itself).
  void store.loadOlder().catch(() => undefined);
  return { element, subscription };
}

function authorOf(entry: ChatEntry): string | undefined {
  const author = entry.message.userId ?? entry.message.senderId;
  return author === undefined || author === null ? undefined : String(author);
}

function messageItem(): HTMLLIElement {
  return h(
    'li',
    { 'data-testid': 'chat-message', class: 'message' },
    h('span', { class: 'author' }),
    h('span', { class: 'content', 'data-testid': 'chat-message-content' }),
    h('span', { class: 'receipt', 'data-testid': 'read-receipt' }),
  );
}

function updateItem(item: HTMLLIElement, entry: ChatEntry, me: string, store: ChatStore): void {
  const mine = authorOf(entry) === me;
  item.dataset.key = entry.key;
  item.dataset.status = entry.status;
  item.dataset.mine = String(mine);
  item.dataset.read = String(entry.readBy.length > 0);
  item.classList.toggle('mine', mine);
  const [author, content, receipt] = item.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
  const name = entry.message.senderName ?? authorOf(entry) ?? '?';
  setText(author, mine ? 'You' : String(name));
  setText(content, entry.message.content);
  if (!mine) {
    setText(receipt, '');
    return;
  }
  if (entry.status === 'pending') setText(receipt, 'Sending…');
  else if (entry.status === 'failed') {
    setText(receipt, 'Not sent — click to retry');
    receipt.onclick = () => void store.retry(entry.key);
  } else setText(receipt, entry.readBy.length > 0 ? '✓✓ Read' : '✓ Sent');
  if (entry.status !== 'failed') receipt.onclick = null;
}
