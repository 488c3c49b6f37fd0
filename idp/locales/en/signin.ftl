# Sign-in, consent, lock, sign-out and the new-password page.
signin-title = Sign in
signin-continue-to = to continue to { $client }
signin-your-account = your account
signin-passkey = Sign in with a passkey
signin-create-account = Create an account
signin-forgot-email = Forgot your email address?
signin-password-title = Enter your password
signin-other-address = use another address
signin-forgot-password = Forgot your password?
signin-wrong-password = The email address or the password is wrong.

consent-title = Allow access?
consent-asks = { $client } asks to:
consent-asks-unnamed = A service asks to:
consent-withdraw-later = You can withdraw this later from your account.
data-identity = know who you are
data-name = see your name and language
data-birthdate = see your date of birth
data-email = see your email address
data-phone = see your mobile number
data-address = see your postal address
data-offline = stay connected when you are not using it
data-org = know which organisation you act for
data-org-admin = manage, on your behalf, the organisations you administer

locked-title = Account locked
locked-until = There were too many failed attempts. For your security, sign-in to this account is blocked until { $time }. Please try again after that time.
locked-permanent = There were too many failed attempts and sign-in to this account is blocked. If the account exists, instructions to unlock it have been sent to its email address.

logout-title = Sign out?
logout-question = Do you want to sign out of all postal services on this device?
logged-out-title = Signed out
logged-out-text = You are signed out. You can close this window.

reset-title = Choose a new password
reset-code-hint = We also sent a code by SMS to your mobile number.
reset-save = Save the password
reset-done-title = Password saved
reset-done-text = Your new password is saved, the account is unlocked and every other session is signed out. Go back to the service to sign in.

# Identity assurance and counter credentials.
data-assurance = see whether your identity was verified, and how and when
signin-temporary-expired = This temporary password has expired. Ask at a counter for a new one, or use “Forgot your password?” below.
newpw-title = Choose a new password
newpw-intro = You signed in with a temporary password or your password must be changed. Choose your own password to continue.
newpw-save = Save and continue
newpw-same = Choose a password different from the one you were given.
verify-title = Verified identity required
verify-needed = { $client } is only available to people whose identity has been verified.
verify-needed-unnamed = This service is only available to people whose identity has been verified.
verify-text = You can have your identity verified at a counter with an identity document, or by another means your provider offers. Then sign in again.
verify-how = How to get verified
verify-back = Back to { $client }
verify-back-unnamed = Back to the service
