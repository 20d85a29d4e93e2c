<?php
// A SendStatistics backend written the way the vendor's PHP code is (the seed README's "Evidence": the
// sibling /mailer/sends controller): json_decode($fields, true), empty(), array_intersect, `$id *= 1`,
// json_encode with default flags, 204 for an empty index. It serves mailings exported from a scenario
// (MAILINGS_JSON: a JSON file). Run as the router of PHP's built-in server:
//     MAILINGS_JSON=mailings.json php -S 127.0.0.1:8080 index.php
// `sendstat check --strict` must pass it: the real language's behaviour, not our reading of it.
//
// PHP 8 throws where PHP 7, the backend's era, warned and went on; the three places are marked "PHP 7".

const ALLOWED_FIELDS = ['id', 'common', 'open_time', 'click_statistic', 'domain_statistic', 'errors'];
const DEFAULT_FIELDS = ['id'];

function respond(int $status, $body = null): void
{
    http_response_code($status);
    if ($body === null) {
        header_remove('Content-Type');
        return;
    }
    header('Content-Type: application/json; charset=UTF-8');
    echo json_encode($body);
}

function mailings(): array
{
    static $mailings = null;
    if ($mailings === null) {
        $mailings = [];
        foreach (json_decode(file_get_contents(getenv('MAILINGS_JSON')), true)['mailings'] as $mailing) {
            $mailings[$mailing['id']] = $mailing;
        }
        ksort($mailings);
    }
    return $mailings;
}

function index(): void
{
    // sort_field: the only sortable field is id; any other value is ignored.
    $statistics = [];
    foreach (mailings() as $id => $mailing) {
        $statistics[] = ['id' => $id, 'letter_title' => $mailing['letter_title']];
    }
    if (empty($statistics)) {
        respond(204);
        return;
    }
    respond(200, ['statistics' => $statistics]);
}

function view(string $id): void
{
    $fields = isset($_GET['fields']) ? $_GET['fields'] : null;
    // PHP 7: json_decode() of an array (fields[]=...) warned and returned null.
    $fields = is_string($fields) ? json_decode($fields, true) : null;
    if (empty($fields)) {
        $fields = DEFAULT_FIELDS;
    }
    // PHP 7: array_intersect() of a string or a number warned and returned null.
    $fields = is_array($fields) ? array_intersect($fields, ALLOWED_FIELDS) : null;
    if (empty($fields)) {
        respond(400, ['code' => 20620, 'message' => 'Invalid fields. Wrong parameters of string fields']);
        return;
    }
    try {
        $id *= 1;
    } catch (TypeError $e) {
        $id = 0; // PHP 7: a non-numeric string warned and counted as 0
    }
    $found = null;
    foreach (mailings() as $mailingId => $mailing) {
        if ($mailingId == $id) {
            $found = $mailing;
            break;
        }
    }
    if ($found === null) {
        respond(404, ['message' => 'Not found']);
        return;
    }
    $answer = [];
    foreach (ALLOWED_FIELDS as $name) {
        if (in_array($name, $fields, true)) {
            $answer[$name] = $name === 'id' ? $found['id'] : $found['sections'][$name];
        }
    }
    respond(200, $answer);
}

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($_SERVER['REQUEST_METHOD'] !== 'GET' && $_SERVER['REQUEST_METHOD'] !== 'HEAD') {
    respond(405, ['message' => 'Method Not Allowed']);
} elseif ($path === '/mailer/sendstatistics') {
    index();
} elseif (preg_match('#^/mailer/sendstatistics/([^/]+)$#', $path, $match)) {
    view(rawurldecode($match[1]));
} else {
    respond(404, ['message' => 'Not found']);
}
