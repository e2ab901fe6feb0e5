-- Schema and seed data of the lab's course database (MariaDB 10.11).
-- Loaded by tests/lab/lab before the demo WAS nodes start; safe to load again
-- (IF NOT EXISTS / INSERT IGNORE with fixed ids), so a restarted lab keeps its data.
-- Users and grants are the lab script's job: it owns the credentials.

CREATE DATABASE IF NOT EXISTS coursedb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE coursedb;

CREATE TABLE IF NOT EXISTS course (
    id    INT          NOT NULL PRIMARY KEY,
    title VARCHAR(200) NOT NULL
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS review (
    id        BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    course_id INT          NOT NULL,
    rating    TINYINT      NOT NULL,
    body      VARCHAR(500) NOT NULL,
    KEY idx_review_course (course_id)
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS coupon (
    id    INT          NOT NULL PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    stock BIGINT       NOT NULL
) ENGINE = InnoDB;

-- Written by the queue consumer; the unique key is what turns a re-delivered
-- message into a counted duplicate instead of a second coupon.
CREATE TABLE IF NOT EXISTS coupon_issue (
    id        BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id   VARCHAR(64)  NOT NULL,
    coupon_id INT          NOT NULL,
    issued_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY uq_coupon_issue_user_coupon (user_id, coupon_id),
    KEY idx_coupon_issue_coupon (coupon_id)
) ENGINE = InnoDB;

-- 20 courses.
INSERT IGNORE INTO course (id, title)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
SELECT i, CONCAT('Course ', i, ': ',
                 ELT(1 + (i - 1) % 5, 'Spring Boot in practice', 'Redis patterns', 'Kafka basics',
                     'SQL tuning', 'Running HAProxy'))
FROM n;

-- 5 to 10 reviews per course (5 + i*7 mod 6), fixed ids course*100 + k so a reload adds nothing.
INSERT IGNORE INTO review (id, course_id, rating, body)
WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20),
               k (j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 10)
SELECT c.i * 100 + k.j, c.i, 1 + (c.i * 3 + k.j * 7) % 5,
       CONCAT('Review ', k.j, ' of course ', c.i, ': ',
              ELT(1 + (c.i + k.j) % 4, 'clear and practical', 'too fast in places',
                  'great examples', 'would take again'))
FROM c JOIN k ON k.j <= 5 + (c.i * 7) % 6;

-- 10 coupons, one million each; the WAS nodes seed coupon:ID:stock in Redis from here.
INSERT IGNORE INTO coupon (id, title, stock)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
SELECT i, CONCAT('Coupon ', i, ': ', 5 * i, '% off'), 1000000
FROM n;
