/**
 * Every label the widget shows, in Chinese and English: the widget's own
 * phrasing table, so no user-facing text is written inline in the code.
 */
import type { Lang } from '../bot/channels/web/protocol.js';
import type { UploadError } from './files.js';

export interface Strings {
  readonly launcher: string;
  readonly openChat: string;
  readonly title: string;
  readonly placeholder: string;
  readonly send: string;
  /** Also the text sent when the customer asks for a person, so the transcript reads naturally. */
  readonly human: string;
  readonly end: string;
  readonly close: string;
  readonly reconnecting: string;
  /** The chat cannot work on this page (the server does not allow its origin). */
  readonly unavailable: string;
  readonly typing: string;
  readonly conversation: string;
  readonly suggestions: string;
  readonly you: string;
  readonly bot: string;
  readonly agent: string;
  readonly sending: string;
  /** The customer's latest message is stored on the server. */
  readonly delivered: string;
  /** …and a reply came after it. */
  readonly read: string;
  readonly notDelivered: string;
  readonly failed: string;
  /** Too many new chats from the customer's network just now; the widget retries by itself. */
  readonly busy: string;
  readonly queued: string;
  readonly agentJoined: string;
  /** Header after the customer left a message because nobody could take the chat. */
  readonly messageLeft: string;
  readonly leaveTitle: string;
  readonly leaveWhat: string;
  readonly leaveContact: string;
  readonly leaveConsent: string;
  readonly leaveSend: string;
  readonly leaveCancel: string;
  readonly leaveNeedWhat: string;
  readonly leaveBadContact: string;
  readonly leaveNeedConsent: string;
  /** The header's envelope button, and the form it opens. */
  readonly transcript: string;
  readonly transcriptTitle: string;
  readonly transcriptAddress: string;
  readonly transcriptConsent: string;
  readonly transcriptSend: string;
  readonly transcriptBadAddress: string;
  readonly transcriptNeedConsent: string;
  /** The customer's message the form sends, so the conversation reads naturally. */
  readonly transcriptRequest: string;
  /** The attach button's label. */
  readonly attach: string;
  readonly retry: string;
  readonly remove: string;
  readonly fileUnavailable: string;
  photo(name: string): string;
  openPhoto(name: string): string;
  downloadPdf(name: string): string;
  uploading(percent: number): string;
  uploadError(code: UploadError): string;
  unread(count: number): string;
  queuedAt(position: number): string;
  /** The header's hint of how soon a person usually joins. */
  replyHint(minutes: number): string;
  agentNamed(name: string): string;
  tooLong(max: number): string;
}

export const STRINGS: Readonly<Record<Lang, Strings>> = {
  zh: {
    launcher: '在线客服',
    openChat: '打开在线客服',
    title: '在线客服',
    placeholder: '输入消息…',
    send: '发送',
    human: '转人工',
    end: '结束对话',
    close: '关闭',
    reconnecting: '正在重新连接…',
    unavailable: '抱歉，在线客服暂时无法在此页面使用。',
    typing: '对方正在输入…',
    conversation: '对话记录',
    suggestions: '快捷回复',
    you: '我',
    bot: '智能客服',
    agent: '人工客服',
    sending: '发送中',
    delivered: '已送达',
    read: '已读',
    notDelivered: '消息暂未送达，稍后会自动重发。',
    failed: '出了点问题，请稍后再试。',
    busy: '当前网络发起的对话过多，请稍候，我们会自动为您重新连接。',
    queued: '排队中，请稍候',
    agentJoined: '人工客服已接入',
    messageLeft: '已留言，等待回复',
    leaveTitle: '给我们留言',
    leaveWhat: '请描述您的问题',
    leaveContact: '手机号或邮箱（选填）',
    leaveConsent: '同意客服通过以上联系方式就本次留言与我联系',
    leaveSend: '提交留言',
    leaveCancel: '取消',
    leaveNeedWhat: '请先写下您的问题。',
    leaveBadContact: '请填写有效的手机号或邮箱，或者留空。',
    leaveNeedConsent: '留下联系方式需要您勾选同意；不想留可以清空这一栏。',
    transcript: '发送聊天记录到邮箱',
    transcriptTitle: '把这段对话发到邮箱',
    transcriptAddress: '邮箱地址',
    transcriptConsent: '同意把这段对话发送到这个邮箱，客服也可以通过它回复我',
    transcriptSend: '发送',
    transcriptBadAddress: '请填写有效的邮箱地址。',
    transcriptNeedConsent: '发送前需要您勾选同意。',
    transcriptRequest: '请把这段聊天记录发到我的邮箱。',
    attach: '发送图片或 PDF',
    retry: '重试',
    remove: '移除',
    fileUnavailable: '文件暂时无法显示',
    photo: (name) => `图片：${name}`,
    openPhoto: (name) => `查看大图：${name}`,
    downloadPdf: (name) => `下载 PDF：${name}`,
    uploading: (p) => `上传中 ${p}%`,
    uploadError: (code) =>
      ({
        FILE_TOO_BIG: '未能发送：文件超过 10 MB。',
        FILE_TYPE: '未能发送：只能发送图片（JPG、PNG、WebP）或 PDF 文件。',
        FILE_HEIC: '未能发送：暂不支持 HEIC 格式的照片，请改用 JPG 或截图发送。',
        FILE_BROKEN: '未能发送：文件已损坏或不完整。',
        FILE_DIMENSIONS: '未能发送：图片尺寸过大。',
        FILE_ACTIVE_PDF: '未能发送：该 PDF 含有脚本或附件，请发送普通 PDF 或截图。',
        FILE_EMPTY: '未能发送：文件是空的。',
        TOO_MANY_UPLOADS: '发送的文件太多了，请稍后再试。',
        NETWORK: '网络中断，文件未能上传。',
        FAILED: '文件未能上传，请重试。',
      })[code],
    unread: (n) => `${n} 条未读消息`,
    queuedAt: (n) => `排队中，第 ${n} 位`,
    replyHint: (m) => `人工客服通常在 ${m} 分钟内接入`,
    agentNamed: (name) => `客服 ${name} 已接入`,
    tooLong: (max) => `消息太长了，最多 ${max} 个字。`,
  },
  en: {
    launcher: 'Chat with us',
    openChat: 'Chat with us: open customer service',
    title: 'Customer service',
    placeholder: 'Type a message…',
    send: 'Send',
    human: 'Talk to a person',
    end: 'End chat',
    close: 'Close',
    reconnecting: 'Reconnecting…',
    unavailable: 'Sorry, the chat is not available on this page.',
    typing: 'Typing…',
    conversation: 'Conversation',
    suggestions: 'Suggested replies',
    you: 'You',
    bot: 'Assistant',
    agent: 'Agent',
    sending: 'Sending',
    delivered: 'Delivered',
    read: 'Read',
    notDelivered: 'Your message has not been delivered yet; it will be sent again shortly.',
    failed: 'Something went wrong. Please try again.',
    busy: 'Too many chats were started from your network just now. Please wait a moment; we will reconnect automatically.',
    queued: 'Waiting for a person',
    agentJoined: 'A person has joined',
    messageLeft: 'Message left: we will reply here',
    leaveTitle: 'Leave us a message',
    leaveWhat: 'What can we help you with?',
    leaveContact: 'Phone or e-mail (optional)',
    leaveConsent: 'You may contact me about this message using these details',
    leaveSend: 'Send message',
    leaveCancel: 'Cancel',
    leaveNeedWhat: 'Please tell us what your message is about.',
    leaveBadContact: 'Please enter a valid phone number or e-mail address, or leave it empty.',
    leaveNeedConsent: 'Please tick the box to let us contact you, or clear the contact field.',
    transcript: 'E-mail me this conversation',
    transcriptTitle: 'E-mail this conversation',
    transcriptAddress: 'E-mail address',
    transcriptConsent: 'Send this conversation to this address; the team may also reply to me there',
    transcriptSend: 'Send',
    transcriptBadAddress: 'Please enter a valid e-mail address.',
    transcriptNeedConsent: 'Please tick the box so we may send it.',
    transcriptRequest: 'Please e-mail me this conversation.',
    attach: 'Send a photo or PDF',
    retry: 'Retry',
    remove: 'Remove',
    fileUnavailable: 'This file cannot be shown right now',
    photo: (name) => `Photo: ${name}`,
    openPhoto: (name) => `Open the photo ${name}`,
    downloadPdf: (name) => `Download the PDF ${name}`,
    uploading: (p) => `Uploading ${p}%`,
    uploadError: (code) =>
      ({
        FILE_TOO_BIG: 'Not sent: the file is over 10 MB.',
        FILE_TYPE: 'Not sent: only photos (JPG, PNG, WebP) and PDF files can be sent.',
        FILE_HEIC: 'Not sent: HEIC photos are not supported; please send it as JPG or a screenshot.',
        FILE_BROKEN: 'Not sent: the file is damaged or incomplete.',
        FILE_DIMENSIONS: 'Not sent: the picture is too large.',
        FILE_ACTIVE_PDF: 'Not sent: this PDF contains scripts or attachments; please send a plain PDF or a screenshot.',
        FILE_EMPTY: 'Not sent: the file is empty.',
        TOO_MANY_UPLOADS: 'Too many files just now; please try again in a minute.',
        NETWORK: 'The connection dropped; the file was not uploaded.',
        FAILED: 'The file could not be uploaded; please try again.',
      })[code],
    unread: (n) => `${n} unread ${n === 1 ? 'message' : 'messages'}`,
    queuedAt: (n) => `In the queue: you are number ${n}`,
    replyHint: (m) => `A person usually joins within ${m} ${m === 1 ? 'minute' : 'minutes'}`,
    agentNamed: (name) => `${name} has joined the chat`,
    tooLong: (max) => `That message is too long (at most ${max} characters).`,
  },
};
