// The admin's autocomplete fields (select2) draw a combobox whose name is the selected
// value only, so an empty one has no name for screen readers (axe: aria-input-field-name).
// Each combobox is named after its field: the field's <label>, or the aria-label that
// school.admin_site gives the cells of an inline table, followed by the selected value.
"use strict";
(function () {
    function nameComboboxes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            var container = select.nextElementSibling;
            if (!container || !container.classList.contains("select2")) {
                return;
            }
            var combobox = container.querySelector(".select2-selection[role=combobox]");
            if (!combobox) {
                return;
            }
            // The value shown (role=textbox) needs a name of its own.
            var value = combobox.querySelector(".select2-selection__rendered");
            var label = select.id && document.querySelector('label[for="' + select.id + '"]');
            if (label) {
                if (!label.id) {
                    label.id = select.id + "-label";
                }
                combobox.setAttribute(
                    "aria-labelledby",
                    label.id + (value && value.id ? " " + value.id : "")
                );
                if (value) {
                    value.setAttribute("aria-labelledby", label.id);
                }
            } else if (select.getAttribute("aria-label")) {
                combobox.removeAttribute("aria-labelledby");
                combobox.setAttribute("aria-label", select.getAttribute("aria-label"));
                if (value) {
                    value.setAttribute("aria-label", select.getAttribute("aria-label"));
                }
            }
        });
    }
    // Django's autocomplete.js draws the comboboxes when jQuery is ready, and again for
    // each row added to an inline: name them whenever they appear.
    document.addEventListener("DOMContentLoaded", function () {
        nameComboboxes(document);
        new MutationObserver(function () {
            nameComboboxes(document);
        }).observe(document.body, { childList: true, subtree: true });
    });
})();
