// OAuth 2.0 Form Post Response Mode: send the response on to the client at once. Without
// JavaScript the page shows a button that does the same.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("form-post");
  if (form) form.submit();
});
