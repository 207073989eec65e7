import assert from 'node:assert/strict';
import { html } from '../../../../src/bot/channels/http/admin-html.js';

describe('the admin pages\' html template', () => {
  it('shows a customer\'s markup as text', () => {
    const hostile = '<img src=x onerror="alert(1)"> & \'quotes\'';
    assert.equal(html`<p title="${hostile}">${hostile}</p>`.text, '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;</p>');
  });

  it('keeps markup it built itself, escapes inside lists, and renders absent parts as nothing', () => {
    const items = ['<b>', 'a&b'].map((t) => html`<li>${t}</li>`);
    assert.equal(html`<ul>${items}</ul>${false}${null}${undefined}${0}`.text, '<ul><li>&lt;b&gt;</li><li>a&amp;b</li></ul>0');
  });
});
