import { Subscription } from 'rxjs';
import type { RealtimeClient } from '../../../src/index.js';
import { chatMessages, type PlainWsContract } from '../../../src/contracts/plain-ws.js';
import { describeError, h } from '../../web-demo/src/dom.js';

/** The room's service (`client.services.room`). */
export type Room = RealtimeClient<PlainWsContract>['services']['room'];

/**
 * The room's chat (`chat.message`): the others' messages as the server relays them (it does not
 * echo one's own, which is shown when sent). Sends made while the signalling is down are queued
 * by the SDK and go out, in order, once it is back.
 */
export function createChatView(room: Room, user: string): { element: HTMLElement; subscription: Subscription } {
  const list = h('ul', { 'data-testid': 'messages', class: 'messages' });
  const input = h('input', { 'data-testid': 'chat-input', placeholder: 'Message', autocomplete: 'off', maxlength: 2000 });
  const form = h('form', { class: 'composer' }, input, h('button', { type: 'submit', 'data-testid': 'chat-send' }, 'Send'));
  const element = h('section', { class: 'panel chat' }, h('h2', {}, 'Chat'), list, form);

  const add = (sender: string, text: string) => {
    const mine = sender === user;
    const item = h(
      'li',
      { class: mine ? 'message mine' : 'message', 'data-sender': sender },
      h('span', { class: 'author' }, mine ? 'You' : sender),
      h('span', { 'data-testid': 'message-text' }, text),
    );
    list.append(item);
    list.scrollTop = list.scrollHeight;
    return item;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const item = add(user, text);
    room.emit('chat.message', { text }).catch((error: unknown) => {
      item.dataset.status = 'failed';
      item.append(h('span', { class: 'note' }, `not sent: ${describeError(error)}`));
    });
  });

  const subscription = new Subscription();
  subscription.add(chatMessages(room).subscribe((message) => add(message.sender, message.message ?? '')));
  return { element, subscription };
}
