import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketBudget, UserBudgets } from './socket-budget.js';

const limits = { eventsPerSecond: 10, burst: 5, inFlight: 3 };

test('a burst is allowed, then the sustained rate', () => {
  const budget = new SocketBudget({ ...limits, inFlight: 100 }, 0);
  const first = Array.from({ length: 8 }, () => budget.take(0));
  assert.deepEqual(first, [true, true, true, true, true, false, false, false]);
  assert.equal(budget.retryAfterMs(), 100);
  assert.equal(budget.take(50), false, 'half a token after 50 ms');
  assert.equal(budget.take(100), true, 'one token after 100 ms at 10/s');
  assert.equal(budget.take(100), false);
  assert.equal(budget.take(10_000), true, 'refilled');
});

test('events in flight are capped until released', () => {
  const budget = new SocketBudget(limits, 0);
  assert.deepEqual(
    [budget.take(0), budget.take(0), budget.take(0), budget.take(0)],
    [true, true, true, false],
  );
  budget.release();
  assert.equal(budget.take(0), true);
});

test("a user's sockets share one budget, which goes with the last of them", () => {
  const users = new UserBudgets({ ...limits, inFlight: 100 });
  const phone = users.join('ada', 0);
  const laptop = users.join('ada', 0);
  assert.equal(phone, laptop);
  const taken = [phone, laptop, phone, laptop, phone, laptop].map((budget) => budget.take(0));
  assert.deepEqual(taken, [true, true, true, true, true, false], 'one burst of 5 for both');
  assert.notEqual(users.join('bob', 0), phone, 'another user has a budget of their own');
  users.leave('ada');
  assert.equal(users.join('ada', 0), phone, 'kept while a socket of the user remains');
  users.leave('ada');
  users.leave('ada');
  users.leave('bob');
  assert.equal(users.size, 0);
});
