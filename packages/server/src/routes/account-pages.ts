/*
 * Until the web shell is built, the links Rapport mails (an invitation, a password reset) land on
 * these two small pages, in English or French, which post to the API. The shell replaces them.
 */
const texts = {
  en: {
    invite: { title: 'Join the workspace', name: 'Your name', password: 'Choose a password (12 characters or more)', submit: 'Join', done: 'Welcome! You are signed in.' },
    reset: { title: 'Choose a new password', password: 'New password (12 characters or more)', submit: 'Save', done: 'Your password is changed: sign in with it.' },
    missing: 'This link is incomplete: open the one from the email.',
  },
  fr: {
    invite: { title: "Rejoindre l'espace de travail", name: 'Votre nom', password: 'Choisissez un mot de passe (12 caractères ou plus)', submit: 'Rejoindre', done: 'Bienvenue ! Vous êtes connecté.' },
    reset: { title: 'Choisir un nouveau mot de passe', password: 'Nouveau mot de passe (12 caractères ou plus)', submit: 'Enregistrer', done: 'Votre mot de passe est changé : connectez-vous avec.' },
    missing: "Ce lien est incomplet : ouvrez celui de l'e-mail.",
  },
};

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function accountPage(kind: 'invite' | 'reset', acceptLanguage: string | undefined): string {
  const lang = /^\s*fr\b/i.test(acceptLanguage ?? '') ? 'fr' : 'en';
  const text = texts[lang];
  const page = text[kind];
  const nameField = kind === 'invite' ? `<label>${escape(texts[lang].invite.name)}<input name="name" autocomplete="name" required maxlength="200"></label>` : '';
  const endpoint = kind === 'invite' ? '/api/v1/auth/invitations/accept' : '/api/v1/auth/password-reset/confirm';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Rapport</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1f2937}label{display:block;margin:1rem 0}input{display:block;width:100%;padding:.5rem;margin-top:.3rem;font:inherit;border:1px solid #9ca3af;border-radius:4px}input:focus,button:focus{outline:3px solid #2563eb;outline-offset:2px}button{padding:.5rem 1rem;font:inherit;background:#1d4ed8;color:#fff;border:0;border-radius:4px}#message{margin-top:1rem}.error{color:#b91c1c}</style></head>
<body><h1>${escape(page.title)}</h1>
<form id="form">${nameField}<label>${escape(page.password)}<input name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="200"></label><button>${escape(page.submit)}</button></form>
<p id="message" role="status"></p>
<script type="module">
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const form = document.getElementById('form');
const message = document.getElementById('message');
if (!token) { form.hidden = true; message.textContent = ${JSON.stringify(text.missing)}; }
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(form));
  const answer = await fetch(${JSON.stringify(endpoint)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, ...body${kind === 'invite' ? `, locale: ${JSON.stringify(lang)}` : ''} }) });
  if (answer.ok) { form.hidden = true; message.className = ''; message.textContent = ${JSON.stringify(page.done)}; return; }
  const problem = await answer.json().catch(() => ({}));
  message.className = 'error';
  message.textContent = (problem.errors ?? []).map((error) => error.field + ': ' + error.message).join(' · ') || problem.detail || problem.title;
});
</script></body></html>`;
}
