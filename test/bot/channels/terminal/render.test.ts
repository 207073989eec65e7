import assert from 'node:assert/strict';
import { render } from '../../../../src/bot/channels/terminal/render.js';

const AT = '2026-12-06T10:00:00.000Z';

describe('terminal chat output', () => {
  it('labels the bot\'s message and numbers its quick replies', () => {
    const lines = render({ type: 'message', seq: 1, at: AT, from: 'bot', text: '跟您确认一下…请问是这样吗？', quickReplies: [{ title: '是的', payload: 'yes' }, { title: '不是', payload: 'no' }] }, 'bot');
    assert.deepEqual(lines, ['bot: 跟您确认一下…请问是这样吗？', '  [1] 是的', '  [2] 不是']);
  });

  it('shows choices that are their own numbers (a score) on one line', () => {
    const scores = [1, 2, 3, 4, 5].map((n) => ({ title: String(n), payload: `rating:${n}` }));
    assert.deepEqual(render({ type: 'message', seq: 1, at: AT, from: 'bot', text: '满意吗？', quickReplies: scores }, 'bot'), ['bot: 满意吗？', '  [1] [2] [3] [4] [5]']);
  });

  it('indents the lines of a long answer under its label, so they never read as choices', () => {
    assert.deepEqual(render({ type: 'message', seq: 1, at: AT, from: 'bot', text: '发货时间如下：\n1. 现货\n\n还有其他问题吗？' }, 'bot'), ['bot: 发货时间如下：', '  1. 现货', '', '  还有其他问题吗？']);
  });

  it('labels an agent\'s message with the agent\'s name', () => {
    assert.deepEqual(render({ type: 'message', seq: 1, at: AT, from: 'agent', text: '您好，我来帮您查一下', agent: '小林' }, 'agent'), ['agent 小林: 您好，我来帮您查一下']);
  });

  it('shows who has the conversation as one bracketed line: the queue place, an agent joining or back, the bot again', () => {
    assert.deepEqual(render({ type: 'status', status: 'queued', position: 2 }, 'bot'), ['[queued · position 2]']);
    assert.deepEqual(render({ type: 'status', status: 'agent', agent: 'Alice' }, 'queued'), ['[agent Alice joined]']);
    assert.deepEqual(render({ type: 'status', status: 'agent', agent: 'Alice' }, 'agent'), ['[agent Alice is back]']);
    assert.deepEqual(render({ type: 'status', status: 'bot' }, 'agent'), ['[the bot has the chat]']);
    assert.deepEqual(render({ type: 'typing', on: true }, 'bot'), []);
  });

  it('never writes a control character to the terminal, whatever the text carries', () => {
    const lines = render({ type: 'message', seq: 1, at: AT, from: 'agent', agent: 'A\u001b[2J', text: '您反映的问题是：\u001b]0;pwned\u0007 包裹\u0000丢了', quickReplies: [{ title: '\u009b是的', payload: 'yes' }] }, 'agent');
    for (const line of lines) assert.doesNotMatch(line, /\p{Cc}/u, JSON.stringify(line));
  });
});
