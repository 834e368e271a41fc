// calciscreen worklist: the one way its scripts make an element. Text goes in as textContent, attributes as values,
// never as HTML, so a patient datum can never become markup.
window.calciscreenDom = (function () {
  'use strict';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  return { el: el };
}());
