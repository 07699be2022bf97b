import type { Locale } from '../metadata/types';

/** The texts of the core's messages, in English and French. */
export const mailTemplates = {
  invitation: (locale: Locale, values: { workspace: string; inviter: string; link: string; days: number }) =>
    locale === 'fr'
      ? {
          subject: `Invitation à rejoindre ${values.workspace} sur Rapport`,
          text: `${values.inviter} vous invite à rejoindre ${values.workspace} sur Rapport.\n\nAcceptez l'invitation ici (lien valable ${values.days} jours, une seule fois) :\n${values.link}\n`,
        }
      : {
          subject: `You are invited to join ${values.workspace} on Rapport`,
          text: `${values.inviter} invites you to join ${values.workspace} on Rapport.\n\nAccept the invitation here (the link works once, for ${values.days} days):\n${values.link}\n`,
        },
  passwordReset: (locale: Locale, values: { link: string; minutes: number }) =>
    locale === 'fr'
      ? {
          subject: 'Réinitialisation de votre mot de passe Rapport',
          text: `Pour choisir un nouveau mot de passe, ouvrez ce lien (valable ${values.minutes} minutes, une seule fois) :\n${values.link}\n\nSi vous n'avez rien demandé, ignorez ce message.\n`,
        }
      : {
          subject: 'Reset your Rapport password',
          text: `To choose a new password, open this link (it works once, for ${values.minutes} minutes):\n${values.link}\n\nIf you did not ask for this, ignore this message.\n`,
        },
};
