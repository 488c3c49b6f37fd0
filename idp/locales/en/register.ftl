# Registration: the form, the SMS code, the email link, and their messages.
register-title = Create an account
register-given-name = Given name
register-family-name = Family name
register-email-again = Email address again
register-phone = Mobile number
register-phone-hint = For example +41 79 123 45 67. We send a code to confirm it.
register-birthdate = Birth date (optional)
register-birthdate-hint = With it you can recover your email address by your mobile number.
register-terms = I accept the terms of use (version { $version }).
register-terms-link = Read the terms of use
register-submit = Create the account
register-have-account = I already have an account
passwords-same = The two passwords are the same.

register-name-missing = Enter your name (at most 100 characters).
register-emails-differ = The two email addresses are not the same.
register-phone-invalid = Enter a mobile number, for example +41 79 123 45 67.
register-birthdate-invalid = Enter a real date in the past, for example 1980-02-29.
register-terms-required = Accept the terms of use to create an account.

register-phone-title = Confirm your mobile number
register-phone-sent = We have sent a code by SMS to { $phone }. Enter it here.
register-resend = Send a new code
register-code-wrong = This code is wrong. Check the SMS and try again.
register-code-expired = This code has expired or was tried too often. Ask for a new code.
register-code-resent = A new code is on its way.
register-code-throttled = A code was sent less than a minute ago; please use that one.
register-sms-failed = The SMS could not be sent. Try again in a moment.
register-sms = { $code } is your code to create your postal services account. It is valid for 5 minutes. Never give it to anyone.

register-check-email-title = Check your email
register-check-email = Your mobile number is confirmed. We have sent an email to { $email }: open the link in it, in this browser, to finish creating your account.
register-email = Hello { $name },

    confirm your email address with this link to finish creating your postal services account. The link is valid for { $minutes } minutes and works once:

    { $link }

    Open it in the browser where you started the registration.

    If you did not ask for an account, ignore this email: nothing will be created.
    .subject = Confirm your email address
register-taken-email = Hello,

    someone tried to create a postal services account with your email address { $email }. You already have an account, so nothing was created.

    If it was you, sign in with your account: { $link }
    If you forgot your password, choose "Forgot your password?" when you sign in.

    If it was not you, you can ignore this email.
    .subject = Someone tried to register with your address

register-confirm-title = Confirm your email address
register-confirm-text = Confirm { $email } to finish creating your account.
register-confirm-button = Confirm and create the account
register-elsewhere-title = Open the link where you started
register-elsewhere-text = This link creates the account for { $email } only in the browser where the registration was started. Open it there. If you did not start it, or cannot go back to it, register in this browser instead: the pending registration is then cancelled.
register-elsewhere-button = Register in this browser instead
register-done-title = Account created
register-done-text = Your account is ready and you are signed in.
register-done-link = Go to your account

err-registration-expired = This registration has expired. Please start again.
    .title = Registration expired
