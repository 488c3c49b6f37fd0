# Verifieringssidan för enhetsauktorisering (RFC 8628).
device-title = Anslut en enhet
device-intro = Ange koden som visas på din enhet (en terminal vid disken, ett paketskåp eller en app på en tv) för att ansluta den till ditt konto.
device-code-label = Kod som visas på enheten
device-code-hint = 8 bokstäver, till exempel BCDF-GHJK. Stora eller små bokstäver, med eller utan bindestreck.
device-code-invalid = Koden är inte giltig. Kontrollera koden på enheten och försök igen. Om den har gått ut, börja om på enheten.
device-confirm-title = Ansluta den här enheten?
device-confirm-asks = En enhet från { $client } ber om att:
device-confirm-code = Enheten visar koden { $code }.
device-confirm-warning = Bekräfta bara om du själv har startat detta på en enhet framför dig och den visar den här koden. Bekräfta aldrig en kod som någon har skickat till dig.
device-confirm-as = Du är inloggad som { $email }.
device-confirm = Bekräfta
device-confirmed-title = Enheten är ansluten
device-confirmed = { $client } på din enhet är nu ansluten till ditt konto. Du kan gå tillbaka till enheten.
device-denied-title = Enheten är inte ansluten
device-denied = Du nekade. { $client } på enheten är inte ansluten till ditt konto.
err-device-code = Koden är inte längre giltig: den har gått ut eller har redan besvarats. Börja om på enheten.
    .title = Ogiltig kod
