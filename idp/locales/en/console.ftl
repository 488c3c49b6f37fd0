# The account console: profile, email and phone, sessions, services, your data; security notices.
console-nav = Your account
console-nav-profile = Profile
console-nav-security = Security
console-nav-sessions = Sessions
console-nav-services = Services
console-nav-organizations = Organisations
console-nav-data = Your data
console-saved = Your changes are saved.
console-fix-fields = Some fields need your attention.
console-save = Save
console-send-code = Send the code
console-confirm = Confirm

profile-title = Your profile
profile-names = Name and birth date
profile-given-name = Given name
profile-family-name = Family name
profile-birthdate = Birth date
profile-birthdate-hint = As year-month-day, for example 1990-04-01.
profile-birthdate-invalid = Enter a real date in the past as year-month-day, for example 1990-04-01.
profile-address = Postal address
profile-street = Street and number
profile-postal-code = Postal code
profile-postal-code-invalid = Enter a postal code of letters, digits, spaces or hyphens.
profile-locality = Town
profile-country = Country
profile-country-hint = Two-letter code, for example CH, FR, DE, IT, SE or FI.
profile-country-invalid = Enter a country as its two-letter ISO code, for example CH.
profile-text-invalid = Enter at most 100 characters, without line breaks.
profile-language = Language
profile-language-browser = As my browser says
profile-locale-invalid = Choose one of the languages of the list.
profile-contact = Email and mobile number
profile-phone = Mobile number
profile-none = none
profile-change-email = Change the email address
profile-change-phone = Change the mobile number

contact-email-title = Change your email address
contact-phone-title = Change your mobile number
contact-new-email = New email address
contact-new-phone = New mobile number
contact-phone-hint = In international form, for example +41 79 123 45 67.
contact-phone-invalid = Enter a mobile number in international form, for example +41 79 123 45 67.
contact-email-same = This is already your email address.
contact-phone-same = This is already your mobile number.
contact-email-sent = We sent a code to { $to }. Enter it here to confirm the new address.
contact-phone-sent = We sent a code by SMS to { $to }. Enter it here to confirm the new number.
contact-code = Code
contact-code-wrong = The code is not right. Check it and try again.
contact-code-expired = The code has expired or was used too often. Start again to get a new one.
contact-send-failed = The code could not be sent. Try again in a moment.
contact-email-changed = Your email address is changed.
contact-phone-changed = Your mobile number is changed.
contact-email-code = { $code } is your code to confirm this email address for your postal services account. It is valid for 5 minutes.
    .subject = Confirm your new email address
contact-sms-code = { $code } is your code to confirm this mobile number. It is valid for 5 minutes. Never give it to anyone.
contact-email-taken-notice = Someone asked to use this email address for another postal services account. Nothing was changed. If it was you, you already have an account with this address; if not, you can ignore this message.
    .subject = Your email address

sessions-title = Active sessions
sessions-intro = These are the browsers and devices signed in to your account.
sessions-device = Device
sessions-place = Place
sessions-started = Started
sessions-actions = Actions
sessions-this-one = this browser
sessions-unknown-device = Unknown device
sessions-unknown-place = Unknown
sessions-place-hint = The place is the internet address the session started from; we keep no location database, so the town or country is not known.
sessions-end-others = Sign out everywhere else
sessions-ended = The session is signed out.
sessions-others-ended = Every other session is signed out.
sessions-unknown = This session has already ended.

services-title = Services
services-connected = Connected services
services-connected-intro = These services may use your data as you allowed. Withdrawing the permission signs them out; they will ask you again next time.
services-none = You have not allowed any service yet.
services-allowed-on = Allowed on { $date }
services-revoke = Withdraw permission
services-revoked = The permission is withdrawn and the service is signed out.
services-catalogue = All online services
services-open = Open
services-favourite-add = Add to favourites
services-favourite-remove = Remove from favourites
services-favourite = Favourite
services-no-catalogue = No online services are listed yet.
services-unknown = This service is not known.

data-title = Your data
data-export-intro = Download everything we keep about you: profile, organisations, permissions, sessions, security factors and recent security events. Secrets such as passwords are never included.
data-export = Download your data (JSON)
data-delete-title = Delete your account
data-delete-intro = Sign-in stops at once and every service is signed out. Your data is erased after { $days } days; until then, customer service can still stop the deletion.
data-delete-confirm = Delete my account
data-password-wrong = The password is not right.
data-locked = Too many wrong passwords: the account is locked for now.
data-last-admin = You are the only administrator of an organisation. Make another member its administrator on the Organisations page first, or ask customer service to close the organisation.
data-deleted-title = Account deletion requested
data-deleted-text = Your account is closed and you are signed out. Your data will be erased in { $days } days. We sent a confirmation to your email address.

secnotice-security = Hello,

    { $what }

    If this was not you, reset your password now and check your account: { $url }
    .subject = A change to your postal services account
secnotice-email-changed = The email address of your account was changed. Messages now go to the new address.
secnotice-phone-changed = The mobile number of your account was changed.
secnotice-password-changed = The password of your account was changed.
secnotice-factor-added = A security factor (authenticator app or passkey) was added to your account.
secnotice-factor-removed = A security factor (authenticator app or passkey) was removed from your account.
secnotice-recovery-codes = New recovery codes were made for your account; the old ones no longer work.
secnotice-deletion-requested = Your account will be deleted as you asked. Sign-in is disabled and the data will be erased in { $days } days.
