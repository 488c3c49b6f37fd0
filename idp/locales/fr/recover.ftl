# Mot de passe oublié, adresse e-mail oubliée et l’e-mail de déblocage.
recover-password-title = Mot de passe oublié ?
recover-password-intro = Saisissez l’adresse e-mail de votre compte. Nous vous envoyons un lien pour choisir un nouveau mot de passe.
recover-send-link = Envoyer le lien
recover-password-sent-title = Consultez vos e-mails
recover-password-sent = Si un compte existe pour { $email }, nous lui avons envoyé un lien pour choisir un nouveau mot de passe. Le lien est valable { $minutes } minutes et ne fonctionne qu’une fois.
recover-back = Retour à la connexion

recover-reset-email = Bonjour,

    quelqu’un (vous, espérons-le) a demandé à choisir un nouveau mot de passe pour votre compte des services postaux. Utilisez ce lien dans les { $minutes } minutes ; il ne fonctionne qu’une fois :

    { $link }

    Si votre compte a un numéro de mobile, nous vous envoyons aussi un code par SMS à l’ouverture du lien. Ensuite, tous les appareils connectés à votre compte sont déconnectés.

    Si ce n’était pas vous, ignorez cet e-mail : votre mot de passe reste inchangé.
    .subject = Choisissez un nouveau mot de passe
recover-reset-sms = { $code } est votre code pour choisir un nouveau mot de passe. Il est valable 5 minutes. Ne le communiquez à personne.
recover-code-wrong = Ce code est erroné. Vérifiez le SMS et réessayez.
recover-code-expired = Ce code a expiré ou a été essayé trop souvent. Ouvrez à nouveau le lien de l’e-mail pour en recevoir un nouveau.
recover-sms-failed = Le SMS n’a pas pu être envoyé. Ouvrez à nouveau le lien de l’e-mail dans un instant.

unlock-email = Bonjour,

    votre compte des services postaux a été bloqué après plusieurs tentatives de connexion échouées. Si c’était vous, choisissez un nouveau mot de passe avec ce lien (valable { $hours } heures) ; il débloque aussi le compte :

    { $link }

    Si ce n’était pas vous, choisissez tout de même un nouveau mot de passe : quelqu’un a essayé de le deviner.
    .subject = Votre compte est bloqué

recover-email-title = Adresse e-mail oubliée ?
recover-email-intro = Saisissez le numéro de mobile et la date de naissance de votre compte. Nous envoyons un code à ce numéro, puis l’adresse e-mail.
recover-birthdate = Date de naissance
recover-send-code = Envoyer le code
recover-email-code-title = Saisissez le code
recover-email-code-sent = Si ces données correspondent à un compte, nous avons envoyé un code par SMS au { $phone }.
recover-email-code-sms = { $code } est votre code pour retrouver votre adresse e-mail. Il est valable 5 minutes. Ne le communiquez à personne.
recover-email-sms = Votre compte des services postaux utilise l’adresse e-mail { $email }.
recover-email-code-expired = Ce code a expiré ou a été essayé trop souvent. Recommencez pour en recevoir un nouveau.
recover-email-done-title = Consultez votre téléphone
recover-email-done = Nous avons envoyé l’adresse e-mail de votre compte par SMS. Vous pouvez maintenant vous connecter avec elle.

err-recovery-expired = Cette demande a expiré. Veuillez recommencer.
    .title = Demande expirée
