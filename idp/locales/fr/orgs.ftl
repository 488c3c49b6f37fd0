org-pick-title = Pour qui agissez-vous ?
org-pick-in = dans { $client }
org-pick-legend = Choisissez le compte à utiliser
org-personal = Moi-même (personnel)
org-invitation-title = Rejoindre une organisation
org-invitation-text = { $email }, vous êtes invité à agir pour { $org }.
org-accept = Accepter
org-joined-title = Bienvenue
org-joined-text = Vous agissez désormais aussi pour { $org }. Quand un service professionnel demande pour qui vous agissez, elle figure dans la liste.
org-invitation-email-subject = Invitation de { $org }
org-invitation-email = Bonjour,

    vous êtes invité à agir pour { $org } dans les services postaux.
    Connectez-vous avec cette adresse e-mail (ou créez un compte avec elle) et acceptez ici (le lien fonctionne une fois, pendant 7 jours) :

    { $link }

orgs-title = Organisations
orgs-none = Vous n’agissez pour aucune organisation.
orgs-your-roles = Vos rôles : { $roles }
orgs-leave = Quitter
orgs-members = Membres
orgs-roles-label = Rôles (séparés par des virgules)
orgs-services-label = Services (identifiants des services, * pour tous)
orgs-save = Enregistrer
orgs-invite = Inviter quelqu’un
orgs-send-invitation = Envoyer l’invitation
orgs-left = Vous avez quitté l’organisation.
orgs-member-updated = Le membre est mis à jour.
orgs-member-removed = Le membre est retiré.
orgs-invitation-sent = L’invitation est envoyée.
orgs-err-no-member = Ce membre n’existe pas.
orgs-err-last-admin = Une organisation garde au moins un administrateur.
orgs-err-no-org = Cette organisation n’existe pas.
orgs-err-role = Un rôle peut compter de 1 à 64 lettres, chiffres, « _ », « - », « : » ou « . ».
orgs-err-service = Un service doit être l’identifiant d’un service enregistré, ou * pour tous.
orgs-err-name = Le nom doit compter de 1 à 200 caractères.
orgs-err-no-user = Aucun compte n’a cette adresse e-mail.
orgs-err-already-member = Cette personne est déjà membre.
