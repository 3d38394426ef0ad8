// A submitted writing no longer needs the editor's local copy (editor.js keeps it under data-key).
try { localStorage.removeItem(document.currentScript.dataset.key); } catch (e) {}
