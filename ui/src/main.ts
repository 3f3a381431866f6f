import { mount } from 'svelte';
import App from './App.svelte';
import { language } from './lib/i18n.svelte';
import './app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');

// The page's language, for screen readers, hyphenation and the quotes of <q>; a change in
// Settings sets it again.
document.documentElement.lang = language();

export default mount(App, { target });
