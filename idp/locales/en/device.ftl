# The verification page of the device authorization grant (RFC 8628).
device-title = Connect a device
device-intro = Enter the code shown on your device (a counter terminal, a parcel locker or an app on a TV) to connect it to your account.
device-code-label = Code shown on the device
device-code-hint = 8 letters, for example BCDF-GHJK. Capitals or small letters, with or without the dash.
device-code-invalid = This code is not valid. Check the code on your device and try again. If it has expired, start again on the device.
device-confirm-title = Connect this device?
device-confirm-asks = A device of { $client } asks to:
device-confirm-code = The device shows the code { $code }.
device-confirm-warning = Only confirm if you started this yourself on a device in front of you and it shows this code. Never confirm a code that someone sent you.
device-confirm-as = You are signed in as { $email }.
device-confirm = Confirm
device-confirmed-title = Device connected
device-confirmed = { $client } on your device is now connected to your account. You can go back to the device.
device-denied-title = Device not connected
device-denied = You refused. { $client } on the device is not connected to your account.
err-device-code = This code is not valid any more: it has expired or was already answered. Start again on your device.
    .title = Code not valid
