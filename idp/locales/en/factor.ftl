# The second step of sign-in, the security page, and messages for the pages' scripts.
action-confirm = Confirm
action-rename = Rename
action-remove = Remove

factor-title = Confirm it is you
factor-enrol-title = Add a second factor
factor-passkey-needed = This service needs a passkey.
factor-use-your-passkey = Use your passkey
factor-no-passkey-yet = You have no passkey yet. Add one on your account's security page, then come back to the service.
factor-security-page = Security page
factor-enrol-text = This service needs a second factor. Scan this code with an authenticator app (or enter the key by hand), then type the 6-digit code it shows.
factor-key = Key:
factor-code-from-app = Code from the app
factor-code-from-your-app = Code from your authenticator app
factor-sms-sent = We sent a code by SMS to { $phone }.
factor-sms-again = Send a new code
factor-sms-send = Send me a code by SMS
factor-use-a-passkey = Use a passkey
factor-use-recovery-code = Use a recovery code
factor-recovery-code = Recovery code
factor-err-no-phone = There is no verified mobile number on this account.
factor-err-sms-failed = The SMS could not be sent. Try again in a moment.
factor-err-sms-throttled = A code was sent less than a minute ago; please use that one.
factor-err-sms-budget = Too many codes were sent to this phone for now. Try again later, or use another way to confirm.
factor-err-choose = Choose a way to confirm it is you.

otp-wrong-sms = The code is not right. Check the SMS and try again.
otp-expired = This code has expired or was already used. Ask for a new one.
otp-too-many = Too many wrong codes. Ask for a new one.
otp-totp-replayed = This code was already used. Wait for the next one.
otp-wrong-totp = The code is not right. Check the app and try again.
otp-recovery-invalid = This recovery code is not valid or was already used.

sms-sign-in-code = { $code } is your sign-in code for the postal services. It is valid for 5 minutes. Never give it to anyone.

security-title = Security
security-signed-in-as = Signed in as { $email }
security-totp-heading = Authenticator app
security-totp-on = An authenticator app is set up.
security-totp-remove = Remove the authenticator app
security-totp-scan = Scan this code with your authenticator app, or enter the key by hand.
security-totp-setup = Set up an authenticator app
security-totp-done = The authenticator app is set up.
security-totp-removed = The authenticator app is removed.
security-passkeys-heading = Passkeys
security-no-passkeys = No passkeys yet.
security-passkey-added = added { $date }
security-new-name = New name
security-passkey-name = Name of the new passkey
security-passkey-default-name = Passkey
security-passkey-add = Add a passkey
security-passkey-name-missing = Give the passkey a name.
security-passkey-renamed = The passkey is renamed.
security-passkey-unknown = There is no such passkey.
security-passkey-removed = The passkey is removed.
security-codes-heading = Recovery codes
security-codes-new = Your new recovery codes. Each works once. Write them down now: they will not be shown again.
security-codes-left = { $count ->
    [one] One unused recovery code.
   *[other] { $count } unused recovery codes.
}
security-codes-make = Make new recovery codes
security-password-heading = Password
security-current-password = Current password
security-password-change = Change the password
security-password-keep-sessions = Keep me signed in on my other devices
security-password-others-ended = Your other devices are signed out and their apps must sign in again.
security-password-locked = Too many wrong passwords: the account is locked for now.
security-password-wrong = The current password is not right.
security-password-changed = Your password is changed.

js-page-expired = The page expired. Reload it and try again.
js-sign-in-again = Sign in again.
js-request-unreadable = The request could not be read.
js-sign-in-expired = This sign-in has expired. Start again.
js-passkey-unreadable = The passkey response could not be read.
js-passkey-account-blocked = This passkey's account cannot sign in.
js-account-locked = This account is locked.
js-passkeys-off = Passkeys are not available on this server.
js-passkey-expired = The passkey request expired. Start again.
js-passkey-unknown = This passkey is not known here.
js-passkey-rejected = The passkey response was not accepted.
