import assert from 'node:assert/strict';
import { MAX_LINE_CHARS, readLine } from '../../../../src/bot/channels/terminal/input.js';

const YES_NO = [
  { title: '是的', payload: 'yes' },
  { title: '不是', payload: 'no' },
];

describe('terminal chat input', () => {
  it('sends a number alone as the choice it names, with its title and payload, as tapping the button would', () => {
    assert.deepEqual(readLine('2', YES_NO), { kind: 'message', text: '不是', payload: 'no' });
    assert.deepEqual(readLine(' 1 ', YES_NO), { kind: 'message', text: '是的', payload: 'yes' });
  });

  it('sends a number no choice has, or any other text, as the customer typed it', () => {
    assert.deepEqual(readLine('3', YES_NO), { kind: 'message', text: '3', payload: null });
    assert.deepEqual(readLine('0', YES_NO), { kind: 'message', text: '0', payload: null });
    assert.deepEqual(readLine('2', []), { kind: 'message', text: '2', payload: null });
    assert.deepEqual(readLine('不对，我是要退款', YES_NO), { kind: 'message', text: '不对，我是要退款', payload: null });
  });

  it('sends nothing for a blank line or one made only of control characters', () => {
    assert.deepEqual(readLine('', []), { kind: 'blank' });
    assert.deepEqual(readLine(' \t ', []), { kind: 'blank' });
    assert.deepEqual(readLine('\u0000\u001b\u0007\u009b', []), { kind: 'blank' });
  });

  it('takes control characters out of a message (an escape sequence cannot reach the bot or the screen)', () => {
    assert.deepEqual(readLine('\u001b[31m请问\u0000多久\t发货\u007f', []), { kind: 'message', text: '[31m请问多久 发货', payload: null });
  });

  it('refuses a line over the web chat\'s limit whole, saying how long it was', () => {
    assert.equal(readLine('字'.repeat(MAX_LINE_CHARS), []).kind, 'message');
    assert.deepEqual(readLine('字'.repeat(MAX_LINE_CHARS + 1), []), { kind: 'too_long', chars: MAX_LINE_CHARS + 1 });
  });

  it('reads /end and the agent commands, and names what is wrong with a bad one', () => {
    assert.deepEqual(readLine('/end', []), { kind: 'end' });
    assert.deepEqual(readLine('/JOIN  Alice Wang ', []), { kind: 'agent', command: { kind: 'join', agent: 'Alice Wang' } });
    assert.deepEqual(readLine('/agent 您好，我来帮您查一下', []), { kind: 'agent', command: { kind: 'say', text: '您好，我来帮您查一下' } });
    for (const kind of ['away', 'back', 'return', 'resolve'] as const) assert.deepEqual(readLine(`/${kind}`, []), { kind: 'agent', command: { kind } });
    assert.deepEqual(readLine('/join', []), { kind: 'bad_command', problem: '/join needs the agent\'s name, e.g. /join Alice' });
    assert.match((readLine('/agent', []) as { problem: string }).problem, /^\/agent needs the text/);
    assert.deepEqual(readLine('/quit', []), { kind: 'bad_command', problem: 'unknown command /quit; /help lists the commands' });
  });

  it('sends a message that only starts with a slash, such as a path, as text', () => {
    assert.deepEqual(readLine('/orders/123 打不开', []), { kind: 'message', text: '/orders/123 打不开', payload: null });
  });
});
