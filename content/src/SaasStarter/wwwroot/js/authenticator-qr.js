// Draws the QR code on the stock "Configure authenticator app" page, which only provides the otpauth URI
// in #qrCodeData. The issuer (the name the authenticator app shows) is set to this product's name,
// instead of the Identity UI package's default. The secret is untouched, so codes verify the same.
(() => {
  'use strict';

  const issuer = document.currentScript?.dataset.issuer;
  const data = document.getElementById('qrCodeData');
  const target = document.getElementById('qrCode');
  if (!data || !target || typeof qrcode !== 'function') return;

  const withIssuer = (uri) => {
    if (!issuer) return uri;
    try {
      const url = new URL(uri);
      const label = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
      const account = label.includes(':') ? label.slice(label.indexOf(':') + 1) : label;
      const params = new URLSearchParams(url.search);
      params.set('issuer', issuer);
      const query = [...params].map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
      return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?${query}`;
    } catch {
      return uri; // an unexpected format still scans as the page wrote it
    }
  };

  const uri = withIssuer(data.getAttribute('data-url') || '');
  if (!uri) return;
  data.setAttribute('data-url', uri);

  const qr = qrcode(0, 'M');
  qr.addData(uri);
  qr.make();
  target.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 16, scalable: true, title: 'QR code for your authenticator app' });
  target.classList.add('qr-code', 'my-3');

  // The stock page's "Learn how to enable QR code generation" note is now out of date.
  const note = target.previousElementSibling;
  if (note && note.classList.contains('alert-info')) note.hidden = true;
})();
