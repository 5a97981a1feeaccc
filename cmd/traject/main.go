package main
import (
 _ "github.com/jmoiron/sqlx"
 _ "github.com/mattn/go-sqlite3"
 _ "github.com/xuri/excelize/v2"
 _ "github.com/robfig/cron/v3"
)
func main(){}
