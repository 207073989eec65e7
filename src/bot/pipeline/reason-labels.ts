/** How agent surfaces (Slack's handoff card, the admin pages) name handoff reasons for staff. */
import type { HandoffReason } from '../../kb/types.js';

export const REASON_LABELS: Readonly<Record<HandoffReason, string>> = {
  safety: 'Safety risk',
  fraud: 'Possible fraud',
  account_security: 'Account security',
  legal: 'Legal or regulator threat',
  requested: 'Customer asked for a person',
  emotion: 'Upset customer',
  complaint: 'Complaint',
  faq_always_human: 'Question a person must answer',
  frustration: 'Customer frustrated with the bot',
  repeated_failure: 'Bot could not answer',
  multi_question: 'Several questions at once',
};
