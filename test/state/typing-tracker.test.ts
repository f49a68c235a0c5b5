import { afterEach, expect, test, vi } from 'vitest';
import { TypingTracker } from '../../src/state/typing-tracker.js';

afterEach(() => vi.useRealTimers());

test('a typing user whose stop event was lost expires after the timeout; fresh updates extend it', () => {
  vi.useFakeTimers();
  const tracker = new TypingTracker('me', 5000);
  tracker.update('dr-1', true, 'Dr One');
  tracker.update('me', true); // never lists oneself
  expect(tracker.users).toEqual([{ userId: 'dr-1', userName: 'Dr One' }]);
  vi.advanceTimersByTime(4000);
  tracker.update('dr-1', true); // still typing: the timer restarts, the name is kept
  vi.advanceTimersByTime(4000);
  expect(tracker.users).toEqual([{ userId: 'dr-1', userName: 'Dr One' }]);
  vi.advanceTimersByTime(1001);
  expect(tracker.users).toEqual([]);
});

test('the server list replaces the local one; stop removes at once', () => {
  vi.useFakeTimers();
  const tracker = new TypingTracker('me', 5000);
  tracker.update('a', true);
  tracker.update('b', true);
  tracker.replace([{ userId: 'b' }, { userId: 'c', userName: 'C' }]);
  expect(tracker.users.map((user) => user.userId).sort()).toEqual(['b', 'c']);
  tracker.update('b', false);
  expect(tracker.users).toEqual([{ userId: 'c', userName: 'C' }]);
  tracker.dispose();
  expect(vi.getTimerCount()).toBe(0);
});
