import { mount } from 'svelte';
import App from './App.svelte';
import { language, loadStartingLanguage } from './lib/i18n.svelte';
import './app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');

// The page's language, for screen readers, hyphenation and the quotes of <q>; a change in
// Settings sets it again.
document.documentElement.lang = language();

// The words of the starting language are in before the first screen draws (English is always
// there; another language is a chunk of its own, and should it fail to load, English shows).
void loadStartingLanguage()
  .catch(() => undefined)
  .then(() => mount(App, { target }));
