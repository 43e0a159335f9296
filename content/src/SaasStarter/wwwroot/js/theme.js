// Light / dark / auto colour theme (Bootstrap 5.3 data-bs-theme), remembered in localStorage.
// Loaded synchronously in <head>: the attribute is set before the first paint, so dark mode never flashes white.
(() => {
  'use strict';

  const storageKey = 'theme';
  const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
  const icons = { light: 'bi-sun-fill', dark: 'bi-moon-stars-fill', auto: 'bi-circle-half' };

  const stored = () => {
    try { return localStorage.getItem(storageKey); } catch { return null; } // storage can be disabled
  };
  const store = (theme) => {
    try { localStorage.setItem(storageKey, theme); } catch { /* the choice just won't persist */ }
  };
  const chosen = () => { const theme = stored(); return theme && Object.hasOwn(icons, theme) ? theme : 'auto'; };
  const resolve = (theme) => (theme === 'auto' ? (darkQuery.matches ? 'dark' : 'light') : theme);
  const apply = (theme) => document.documentElement.setAttribute('data-bs-theme', resolve(theme));

  const showChoice = (theme) => {
    document.querySelectorAll('[data-bs-theme-value]').forEach((button) => {
      const active = button.getAttribute('data-bs-theme-value') === theme;
      button.classList.toggle('active', active);
      button.setAttribute('aria-pressed', String(active));
    });
    const icon = document.querySelector('.theme-icon-active');
    if (icon) icon.className = `bi ${icons[theme]} theme-icon-active`;
    const toggle = document.getElementById('theme-toggle');
    if (toggle) toggle.setAttribute('aria-label', `Color theme (${theme})`);
  };

  apply(chosen());

  darkQuery.addEventListener('change', () => {
    if (chosen() === 'auto') apply('auto');
  });

  document.addEventListener('DOMContentLoaded', () => {
    showChoice(chosen());
    document.querySelectorAll('[data-bs-theme-value]').forEach((button) => {
      button.addEventListener('click', () => {
        const theme = button.getAttribute('data-bs-theme-value');
        store(theme);
        apply(theme);
        showChoice(theme);
      });
    });
  });
})();
