from django.urls import path, re_path

from quiz.views import accounts, history, mock, pages, practice, questions

app_name = "quiz"

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("practice/", practice.practice, name="practice"),
    path("practice/start/", practice.start_practice, name="start_practice"),
    path("practice/session/<int:pk>/", practice.practice_session, name="practice_session"),
    path("practice/session/<int:pk>/reveal/", practice.reveal_answer, name="reveal_answer"),
    path("practice/session/<int:pk>/answer/", practice.submit_answer, name="submit_answer"),
    path("practice/session/<int:pk>/undo/", practice.undo_answer, name="undo_answer"),
    path("practice/session/<int:pk>/item/<int:position>/", practice.practice_feedback, name="practice_feedback"),
    path("question/<slug:slug>/flag/", practice.flag_question, name="flag_question"),
    path("mock/", mock.mock_setup, name="mock"),
    path("mock/start/", mock.start_mock, name="start_mock"),
    path("mock/history/", mock.mock_history, name="mock_history"),
    path("mock/<int:pk>/", mock.mock_interview, name="mock_interview"),
    path("mock/<int:pk>/q/<int:position>/", mock.mock_question, name="mock_question"),
    path("mock/<int:pk>/q/<int:position>/save/", mock.save_mock_answer, name="save_mock_answer"),
    path("mock/<int:pk>/finish/", mock.finish_mock, name="finish_mock"),
    path("mock/<int:pk>/report/", mock.mock_report, name="mock_report"),
    path("mock/<int:pk>/report/<int:position>/correct/", mock.correct_mock_answer, name="correct_mock_answer"),
    path("review/", pages.review, name="review"),
    path("questions/", questions.topic_list, name="topics"),
    path("questions/<slug:slug>/", questions.topic_detail, name="topic"),
    path("question/<slug:slug>/", questions.question_detail, name="question"),
    path("question/<slug:slug>/report/", questions.report_problem, name="report_problem"),
    path("glossary/", questions.glossary, name="glossary"),
    path("history/", history.history, name="history"),
    path("settings/", accounts.account_settings, name="settings"),
    re_path(r"^settings/export\.(?P<fmt>csv|json)$", accounts.export_history, name="export_history"),
    path("settings/email/", accounts.change_email, name="change_email"),
    path("settings/delete/", accounts.delete_account, name="delete_account"),
]
