/*
 * Chorus kiosk: enhances the question page that kiosk/page.c renders.
 *
 * Without this script the page is a plain form that posts and gets a
 * thank-you page back.  With it, the form is sent as JSON with fetch,
 * the thank-you screen (code and QR code) appears in place, and the page
 * forgets everything after an idle time: data-idle seconds on the
 * thank-you screen, data-form-idle seconds on a form nobody touches.
 * A reset never happens while a submission is on its way, and any touch
 * or key on the form starts its idle time again.  The reset also ends
 * the visit that the news links carry.  If sending fails the text stays
 * in the box and a message in the page's language says so.
 */
(function () {
	'use strict';

	var ask = document.getElementById('ask');
	var form = document.getElementById('form');
	var thanks = document.getElementById('thanks');
	if (!ask || !form || !thanks || !window.fetch || !window.JSON)
		return;

	var text = document.getElementById('text');
	var send = document.getElementById('send');
	var error = document.getElementById('error');
	var code = document.getElementById('code');
	var qr = document.getElementById('qr');
	var again = document.getElementById('again');
	var title = document.getElementById('thanks-title');
	var lang = form.elements.lang.value;
	var sendLabel = send.textContent;
	var idle = positive(ask.getAttribute('data-idle'), 30);
	var formIdle = positive(ask.getAttribute('data-form-idle'), idle * 4);
	var sending = false;
	var timer = 0;

	function positive(s, fallback) {
		var n = parseInt(s, 10);
		return n > 0 ? n : fallback;
	}

	function arm(seconds) {
		clearTimeout(timer);
		timer = setTimeout(expire, seconds * 1000);
	}

	function expire() {
		if (sending) {
			arm(formIdle);
			return;
		}
		reset();
	}

	function radios() {
		return form.querySelectorAll('input[name=role]');
	}

	/* Forgets the person: no text, no role, no code, no history. */
	function clearForm() {
		var r = radios(), i;

		text.value = '';
		text.defaultValue = '';
		for (i = 0; i < r.length; i++) {
			r[i].checked = false;
			r[i].defaultChecked = false;
		}
		error.hidden = true;
		error.textContent = '';
	}

	/*
	 * Ends the visit: the links stop carrying its token (see
	 * kiosk/notices.h), so the next person's news page gets a new one
	 * from the server and their "I agree" counts apart.
	 */
	function endVisit() {
		var links = document.querySelectorAll('a[href*="visit="]');
		var i, href;

		for (i = 0; i < links.length; i++) {
			href = links[i].getAttribute('href');
			links[i].setAttribute('href',
				href.replace(/[?&]visit=[0-9a-f]*/, ''));
		}
	}

	function reset() {
		clearForm();
		endVisit();
		code.textContent = '';
		qr.removeAttribute('src');
		qr.alt = '';
		thanks.hidden = true;
		ask.hidden = false;
		if (window.history && history.replaceState)
			history.replaceState(null, '', '/?lang=' + lang);
		if (document.activeElement && document.activeElement.blur)
			document.activeElement.blur();
		window.scrollTo(0, 0);
		arm(formIdle);
	}

	function showThanks(c) {
		clearForm();
		code.textContent = c;
		qr.alt = qr.getAttribute('data-label') + ' ' + c;
		qr.src = '/qr/' + encodeURIComponent(c) + '.svg?lang=' + lang;
		ask.hidden = true;
		thanks.hidden = false;
		window.scrollTo(0, 0);
		title.focus();
		arm(idle);
	}

	function showError(message) {
		error.textContent = message || error.getAttribute('data-network');
		error.hidden = false;
		error.scrollIntoView({block: 'nearest'});
		arm(formIdle);
	}

	function finish() {
		sending = false;
		send.disabled = false;
		send.textContent = sendLabel;
	}

	function answered(res) {
		var j = res.json;

		finish();
		if (res.status === 201 && j && typeof j.code === 'string') {
			showThanks(j.code);
			return;
		}
		/* 4xx explain what to change; 5xx only if they say why. */
		showError(j && typeof j.message === 'string' ? j.message : null);
	}

	function lost() {
		finish();
		showError(null);
	}

	function readAnswer(r) {
		return r.json().then(function (j) {
			return {status: r.status, json: j};
		}, function () {
			return {status: r.status, json: null};
		});
	}

	function submit() {
		var role = form.querySelector('input[name=role]:checked');
		var body = {text: text.value, lang: lang};

		if (role)
			body.role = role.value;
		if (form.elements.prompt)
			body.prompt = form.elements.prompt.value;
		sending = true;
		clearTimeout(timer);
		send.disabled = true;
		send.textContent = send.getAttribute('data-sending');
		error.hidden = true;
		fetch('/api/items', {
			method: 'POST',
			headers: {'Content-Type': 'application/json'},
			body: JSON.stringify(body),
			credentials: 'same-origin',
			cache: 'no-store'
		}).then(readAnswer).then(answered, lost);
	}

	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		if (!sending)
			submit();
	});

	again.addEventListener('click', function (ev) {
		ev.preventDefault();
		reset();
	});

	['input', 'change', 'keydown', 'pointerdown', 'touchstart'].forEach(
		function (type) {
			ask.addEventListener(type, function () {
				if (!sending)
					arm(formIdle);
			}, {passive: true});
		});

	window.addEventListener('pageshow', function (ev) {
		if (ev.persisted)
			reset();
	});

	arm(formIdle);
})();
