# Forgotten password, forgotten email address, and the unlock email.
recover-password-title = Forgot your password?
recover-password-intro = Enter the email address of your account. We send you a link to choose a new password.
recover-send-link = Send the link
recover-password-sent-title = Check your email
recover-password-sent = If an account exists for { $email }, we have sent it a link to choose a new password. The link is valid for { $minutes } minutes and works once.
recover-back = Back to sign-in

recover-reset-email = Hello,

    someone (hopefully you) asked to choose a new password for your postal services account. Use this link within { $minutes } minutes; it works once:

    { $link }

    If your account has a mobile number, we also send you a code by SMS when you open the link. Afterwards every device signed in to your account is signed out.

    If it was not you, ignore this email: your password stays as it is.
    .subject = Choose a new password
recover-reset-sms = { $code } is your code to choose a new password. It is valid for 5 minutes. Never give it to anyone.
recover-code-wrong = This code is wrong. Check the SMS and try again.
recover-code-expired = This code has expired or was tried too often. Open the link from the email again to receive a new one.
recover-sms-failed = The SMS could not be sent. Open the link from the email again in a moment.

unlock-email = Hello,

    your postal services account was locked after repeated failed sign-in attempts. If it was you, choose a new password with this link (valid for { $hours } hours); it also unlocks the account:

    { $link }

    If it was not you, choose a new password all the same: someone tried to guess it.
    .subject = Your account is locked

recover-email-title = Forgot your email address?
recover-email-intro = Enter the mobile number and the birth date of your account. We send a code to that number, then the email address.
recover-birthdate = Birth date
recover-send-code = Send the code
recover-email-code-title = Enter the code
recover-email-code-sent = If these details match an account, we have sent a code by SMS to { $phone }.
recover-email-code-sms = { $code } is your code to recover your email address. It is valid for 5 minutes. Never give it to anyone.
recover-email-sms = Your postal services account uses the email address { $email }.
recover-email-code-expired = This code has expired or was tried too often. Start again to receive a new one.
recover-email-done-title = Check your phone
recover-email-done = We have sent the email address of your account by SMS. You can now sign in with it.

err-recovery-expired = This request has expired. Please start again.
    .title = Request expired
