// invitations.js: the coordinator's invitations card: invite a school or an
// organisation by e-mail (the mail carries a one-time sign-in link; the code never
// reaches this page) and see who accepted.

import {api, listAll} from './api.js';
import {busy, errorBox, h, replace, toast} from './dom.js';
import {describeError, formatDateTime, t} from './i18n.js';

function invitationRow(invitation, names) {
  const who = invitation.school || invitation.organisation;
  return h('li', {'data-invitation': String(invitation.id)},
    h('strong', {}, names.get(who) || who), ` (${invitation.email}): `,
    invitation.accepted_at ? t('invite.accepted', {at: formatDateTime(invitation.accepted_at)})
      : t('invite.waiting', {until: formatDateTime(invitation.expires_at)}));
}

export function invitationsCard() {
  const list = h('ul', {class: 'plain', id: 'invitations'});
  const select = h('select', {id: 'invite-target'}, h('option', {value: ''}, t('invite.pick')));
  const email = h('input', {id: 'invite-email', type: 'email', autocomplete: 'off'});
  const button = h('button', {type: 'button', class: 'primary'}, t('invite.send'));
  const names = new Map();
  const refresh = async () => {
    try {
      const invitations = await listAll('/v1/invitations');
      replace(list, invitations.length ? invitations.map((i) => invitationRow(i, names)) : h('li', {}, t('invite.none')));
    } catch (error) {
      replace(list, errorBox(describeError(error)));
    }
  };
  Promise.all([listAll('/v1/schools'), listAll('/v1/organisations')]).then(([schools, organisations]) => {
    for (const s of schools) {
      names.set(s.id, s.name);
      select.append(h('option', {value: `school:${s.id}`}, `${s.name} (${s.brin})`));
    }
    for (const o of organisations) {
      names.set(o.id, o.name);
      select.append(h('option', {value: `organisation:${o.id}`}, o.name));
    }
    refresh();
  }).catch(() => {});
  button.addEventListener('click', () => {
    if (!select.value) {
      toast(t('invite.pickfirst'));
      select.focus();
      return;
    }
    const [kind, id] = select.value.split(/:(.*)/s);
    const body = {[kind]: id};
    if (email.value.trim()) body.email = email.value.trim();
    busy(button, t('busy.saving'), () => api('POST', '/v1/invitations', body))
      .then((invitation) => {
        toast(t('invite.sent', {email: invitation.email}));
        email.value = '';
        refresh();
      })
      .catch((error) => toast(describeError(error)));
  });
  return h('section', {class: 'card', 'aria-labelledby': 'invite-heading'},
    h('h2', {id: 'invite-heading'}, t('invite.title')), h('p', {}, t('invite.intro')),
    h('div', {class: 'field'}, h('label', {for: 'invite-target'}, t('invite.target')), select),
    h('div', {class: 'field'}, h('label', {for: 'invite-email'}, t('invite.email')), email),
    h('div', {class: 'actions'}, button), list);
}
